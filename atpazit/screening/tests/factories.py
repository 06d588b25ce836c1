"""Factories for screening sessions, one per state a test needs, and a small invented catalogue.

The catalogue here is written to a temporary directory by the ``small_catalogue`` fixture (in
the screening tests' conftest): a handful of indicators with real Latvian and Russian text, so
pages and PDFs can be checked for diacritics and Cyrillic without depending on the shipped
release. Factories store the assessment exactly as the engine computes it for the indicators
given, as ``services.set_observations`` would.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import factory
import yaml
from django.utils import timezone

from atpazit.accounts.tests.factories import EnrolledUserFactory
from atpazit.cases.tests.factories import PersonFactory
from atpazit.screening import catalogue as catalogue_module
from atpazit.screening.catalogue import LEGACY_FORMS, AgeGroup, Form, Profile, Stage, get_catalogue
from atpazit.screening.engine import (
    EvidenceSource,
    Observation,
    PersonFacts,
    assessment_to_dict,
    evaluate,
)
from atpazit.screening.models import Decision, ScreeningObservation, ScreeningSession

VERSION = "2026.1"


def _text(lv: str, en: str, ru: str) -> dict[str, str]:
    return {"lv": lv, "en": en, "ru": ru}


def _strength(adult: str, child: str) -> dict[str, dict[str, str]]:
    forms = [form.value for form in LEGACY_FORMS]
    return {"adult": dict.fromkeys(forms, adult), "child": dict.fromkeys(forms, child)}


def _indicator(
    code: str, dimension: str, adult: str, child: str, text: dict[str, str], prompt: dict[str, str]
) -> dict[str, Any]:
    return {
        "code": code,
        "dimension": dimension,
        "strength": _strength(adult, child),
        "text": text,
        "prompts": [prompt],
        "guidance": _text(
            f"Jautājiet mierīgi un ļaujiet personai stāstīt ({code}).",
            f"Ask calmly and let the person tell their story ({code}).",
            f"Спрашивайте спокойно и дайте человеку рассказать ({code}).",
        ),
        "stages": ["detention_intake", "pre_return_interview", "pre_departure"],
        "sources": ["ilo-2009"],
    }


SMALL_INDICATORS = [
    _indicator(
        "DR-01",
        "deceptive_recruitment",
        "S",
        "S",
        _text(
            "Maldināts par darba būtību vai vietu",
            "Deceived about the nature or place of the job",
            "Обманут насчёт характера или места работы",
        ),
        _text(
            "Kādu darbu Jums solīja un kur?",
            "What work were you promised, and where?",
            "Какую работу Вам обещали и где?",
        ),
    ),
    _indicator(
        "DR-02",
        "deceptive_recruitment",
        "M",
        "M",
        _text("Maldināts par algu", "Deceived about pay", "Обманут насчёт оплаты"),
        _text(
            "Cik Jums solīja maksāt?",
            "How much were you told you would earn?",
            "Сколько Вам обещали платить?",
        ),
    ),
    _indicator(
        "EX-01",
        "exploitative_conditions",
        "M",
        "M",
        _text(
            "Pārmērīgs darba laiks",
            "Excessive working hours",
            "Чрезмерная продолжительность работы",
        ),
        _text(
            "Cik stundu dienā Jūs strādājāt?",
            "How many hours a day did you work?",
            "Сколько часов в день Вы работали?",
        ),
    ),
    _indicator(
        "EX-02",
        "exploitative_conditions",
        "M",
        "M",
        _text("Slikti dzīves apstākļi", "Bad living conditions", "Плохие условия проживания"),
        _text("Kur Jūs dzīvojāt?", "Where did you live?", "Где Вы жили?"),
    ),
    _indicator(
        "EX-03",
        "exploitative_conditions",
        "M",
        "M",
        _text("Nav samaksāts", "Not paid", "Не выплачено"),
        _text("Vai Jums samaksāja?", "Were you paid?", "Вам заплатили?"),
    ),
    _indicator(
        "CD-01",
        "coercion_at_destination",
        "S",
        "S",
        _text("Atņemta pase", "Passport taken away", "Паспорт отобран"),
        _text("Kur ir Jūsu pase?", "Where is your passport?", "Где ваш паспорт?"),
    ),
    _indicator(
        "CD-02",
        "coercion_at_destination",
        "M",
        "M",
        _text("Draudi", "Threats", "Угрозы"),
        _text("Vai kāds Jums draudēja?", "Did anyone threaten you?", "Вам кто-нибудь угрожал?"),
    ),
    _indicator(
        "RC-01",
        "return_context",
        "M",
        "M",
        _text(
            "Kāds cits runā personas vietā",
            "Someone else speaks for the person",
            "Кто-то другой говорит за человека",
        ),
        _text(
            "Vai Jūs varat runāt brīvi?",
            "Can you speak freely?",
            "Вы можете говорить свободно?",
        ),
    ),
    _indicator(
        "CH-01",
        "child_specific",
        "M",
        "M",
        _text("Nav pieaugušā pavadībā", "Not with an adult", "Без сопровождения взрослого"),
        _text("Ar ko Jūs šeit esat?", "Who are you here with?", "С кем Вы здесь?"),
    ),
]


def small_catalogue_data(
    version: str = VERSION, indicators: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    return {
        "version": version,
        "title": "Mazs testa katalogs / small test catalogue / маленький тестовый каталог",
        "sources": {
            "ilo-2009": {
                "title": "ILO/EC Operational indicators of trafficking in human beings (2009)",
                "url": "https://www.ilo.org/publications/operational-indicators-trafficking-human-beings",
            }
        },
        "indicators": indicators if indicators is not None else SMALL_INDICATORS,
    }


def write_catalogue(directory: Path, data: dict[str, Any]) -> Path:
    path = directory / f"{data['version']}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    catalogue_module.get_catalogue.cache_clear()
    return path


def computed_assessment(
    version: str,
    indicators: tuple[str, ...] = (),
    *,
    age_group: str = AgeGroup.ADULT.value,
    form: str = Form.LABOUR.value,
    facts: PersonFacts | None = None,
    stage: str = Stage.DETENTION_INTAKE.value,
) -> dict[str, Any]:
    """The stored form of the assessment the engine gives for ``indicators`` at ``stage``
    (at the last stages, R7 "interview before departure" replaces R4 and R5)."""
    observations = [
        Observation(code, EvidenceSource.SAID_BY_PERSON, Stage(stage)) for code in indicators
    ]
    assessment = evaluate(
        get_catalogue(version),
        Profile(AgeGroup(age_group), Form(form)),
        observations,
        facts or PersonFacts(age=30),
    )
    return assessment_to_dict(assessment)


def _latest_version() -> str:
    return catalogue_module.latest_catalogue().version


class OpenSessionFactory(factory.django.DjangoModelFactory):
    """A screening in progress at detention intake, in Russian for the person and Latvian for
    the screener, with the assessment of ``indicators`` (none by default)."""

    class Meta:
        model = ScreeningSession
        skip_postgeneration_save = True

    class Params:
        indicators: tuple[str, ...] = ()

    person = factory.SubFactory(PersonFactory)
    screener = factory.SubFactory(EnrolledUserFactory)
    organisation = factory.SelfAttribute("person.organisation")
    stage = Stage.DETENTION_INTAKE.value
    interview_language = "uz"
    prompt_language = "ru"
    officer_language = "lv"
    age_group = AgeGroup.ADULT.value
    exploitation_form = Form.LABOUR.value
    person_age = 30
    catalogue_version = factory.LazyFunction(_latest_version)
    assessment = factory.LazyAttribute(
        lambda o: computed_assessment(
            o.catalogue_version,
            tuple(o.indicators),
            age_group=o.age_group,
            form=o.exploitation_form,
            stage=o.stage,
        )
    )
    recommendation = factory.LazyAttribute(lambda o: o.assessment["recommendation"])

    @factory.post_generation
    def notes(obj: ScreeningSession, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805
        """One observation per assessed indicator; ``notes={"DR-01": "..."}`` adds notes."""
        if not create:
            return
        notes = extracted or {}
        ScreeningObservation.objects.bulk_create(
            ScreeningObservation(
                session=obj,
                indicator=code,
                source=EvidenceSource.SAID_BY_PERSON.value,
                stage=obj.stage,
                note=notes.get(code, ""),
            )
            for code in obj.assessment["indicators"]
        )


class DecidedSessionFactory(OpenSessionFactory):
    """A closed screening: no indicators, decided "no action" with a reason."""

    decision = Decision.NO_ACTION.value
    decision_reason = "Pārrunās pazīmes netika konstatētas."
    decided_by = factory.SelfAttribute("screener")
    completed_at = factory.LazyFunction(timezone.now)


class RescreenSessionFactory(DecidedSessionFactory):
    """Decided "re-screen at the next stage" on an indicator of the return context."""

    class Params:
        indicators = ("RC-01",)

    decision = Decision.RESCREEN.value
    decision_reason = "Runāja pavadonis; jāpārrunā atsevišķi nākamajā posmā."


class SuspicionRaisedSessionFactory(DecidedSessionFactory):
    """Decided "raise a suspicion" on strong deception (the hand-over itself is not run)."""

    class Params:
        indicators = ("DR-01",)

    decision = Decision.RAISE_SUSPICION.value
    decision_reason = "Solīts darbs noliktavā, piespiests strādāt būvniecībā bez samaksas."
