"""Holds placed by the system store their reason as a code (cases/reasons.py), not as text in
the language of whoever caused them. Existing holds whose reason is one of the known system texts
(in lv, en or ru) get the code; any other text, a person's own words, stays as it is."""

from django.db import migrations, models

import atpazit.lib.fields

# The system's texts before the code existed (copied from cases/reasons.py LEGACY_TEXTS).
LEGACY_TEXTS = {
    "suspicion_raised": (
        "Suspicion of trafficking raised: identification pending.",
        "Izteiktas aizdomas par cilvēku tirdzniecību: notiek identificēšana.",
        "Заявлено подозрение в торговле людьми: идёт идентификация.",
    ),
    "reflection_period": (
        "Reflection period: no removal while it runs.",
        "Nogaidīšanas periods: kamēr tas ir spēkā, izraidīšana nenotiek.",
        "Период размышления: пока он действует, выдворение не производится.",
    ),
}
CAUSES = {"suspicion_raised": "suspicion", "reflection_period": "reflection_period"}


def reasons_to_codes(apps, schema_editor):
    Hold = apps.get_model("cases", "Hold")
    for code, texts in LEGACY_TEXTS.items():
        for hold in Hold.objects.filter(cause=CAUSES[code], reason_code="").iterator():
            if hold.reason.strip() in texts:
                hold.reason_code = code
                hold.reason = ""
                hold.save(update_fields=["reason_code", "reason"])


def codes_to_reasons(apps, schema_editor):
    Hold = apps.get_model("cases", "Hold")
    for code, texts in LEGACY_TEXTS.items():
        for hold in Hold.objects.filter(reason_code=code).iterator():
            hold.reason = texts[0]
            hold.reason_code = ""
            hold.save(update_fields=["reason_code", "reason"])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_identity_keys_of_existing_persons"),
    ]

    operations = [
        migrations.AddField(
            model_name="hold",
            name="reason_code",
            field=models.CharField(blank=True, max_length=40),
        ),
        migrations.AddField(
            model_name="hold",
            name="reason_params",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AlterField(
            model_name="hold",
            name="reason",
            field=atpazit.lib.fields.EncryptedTextField(blank=True, verbose_name="reason"),
        ),
        migrations.RunPython(reasons_to_codes, codes_to_reasons),
    ]
