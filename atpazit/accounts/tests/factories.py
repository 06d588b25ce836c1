"""Factories for organisations, users and memberships, one per state a test needs."""

from __future__ import annotations

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from atpazit.accounts.access import Actor
from atpazit.accounts.models import Membership, Organisation, User
from atpazit.accounts.roles import ROLES_BY_ORGANISATION_TYPE, OrganisationType

TEST_PASSWORD = "Correct-horse-battery-9"  # noqa: S105


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organizācija {n}")
    type = OrganisationType.BORDER_GUARD
    email = factory.Sequence(lambda n: f"org{n}@example.invalid")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"lietotajs{n}")
    first_name = "Pēteris"
    last_name = factory.Sequence(lambda n: f"Testiņš{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    language = "lv"
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj: User, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805
        if create:
            obj.save()


class EnrolledUserFactory(UserFactory):
    """A user who has already set up an authenticator app."""

    @factory.post_generation
    def totp(obj: User, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805
        if create:
            TOTPDevice.objects.create(user=obj, name="test", confirmed=True)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(EnrolledUserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "bg_officer"


def organisation_type_for(role: str) -> str:
    """The first organisation type in which ``role`` exists."""
    for org_type, roles in ROLES_BY_ORGANISATION_TYPE.items():
        if role in roles:
            return org_type
    raise LookupError(role)


def member(role: str, organisation: Organisation | None = None, **user_fields: object) -> User:
    """A verified-ready user holding ``role`` in ``organisation`` (made to fit the role if None)."""
    organisation = organisation or OrganisationFactory(type=organisation_type_for(role))
    user = EnrolledUserFactory(**user_fields)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


def actor_of(user: User) -> Actor:
    """The actor a request by ``user`` would have: the user with their membership."""
    return Actor(user=user, membership=user.memberships.select_related("organisation").get())


def system_wide_auditor(**user_fields: object) -> User:
    """An auditor of the system administration: reads every organisation's audit trail."""
    return member("auditor", OrganisationFactory(type=OrganisationType.SYSTEM), **user_fields)
