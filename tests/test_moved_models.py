"""The reflection, aftercare and exchange models moved out of referrals without moving a row:
they keep the referrals_ tables and the encryption context their values were sealed with, so a
database from before the split reads the same (docs/architecture.md, "Apps")."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection

from atpazit.lib import crypto
from atpazit.lib.fields import EncryptedCharField, EncryptedTextField

MOVED = {
    "reflection": ["InformationSheet", "ReflectionPeriod"],
    "aftercare": [
        "ServiceRequest",
        "ServiceDecision",
        "Rehabilitation",
        "ResidencePermit",
        "ReturnDecision",
    ],
    "exchange": ["Message", "Attachment"],
}
CASES = [(app, name) for app, names in MOVED.items() for name in names]


@pytest.mark.parametrize(("app_label", "model_name"), CASES)
def test_a_moved_model_keeps_its_referrals_table(app_label, model_name):
    model = apps.get_model(app_label, model_name)
    assert model._meta.db_table == f"referrals_{model_name.lower()}"


@pytest.mark.parametrize(("app_label", "model_name"), CASES)
def test_a_moved_model_decrypts_with_the_referrals_context(app_label, model_name):
    model = apps.get_model(app_label, model_name)
    for field in model._meta.get_fields():
        if isinstance(field, EncryptedTextField | EncryptedCharField):
            expected = f"referrals.{model_name.lower()}.{field.name}"
            assert field.encryption_context == expected


@pytest.mark.django_db
def test_a_message_written_before_the_split_still_reads(janis, liga, maris):
    from atpazit.exchange.models import Message
    from atpazit.exchange.tests.factories import exchange_case

    case = exchange_case(janis=janis, liga=liga, maris=maris)
    message = Message.objects.create(
        referral=case.provider_referral,
        author=case.janis,
        author_organisation=case.janis.memberships.get().organisation,
        body="placeholder",
    )
    # What the referrals app wrote into this column before the split.
    old_token = crypto.encrypt("Tikšanās otrdien", context="referrals.message.body")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE referrals_message SET body = %s WHERE id = %s", [old_token, message.pk]
        )
    assert Message.objects.get(pk=message.pk).body == "Tikšanās otrdien"
