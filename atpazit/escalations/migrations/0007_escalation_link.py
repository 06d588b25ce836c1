from django.db import migrations, models

NOT_ABOUT_A_PERSON = ("recommendation_response",)


def link_recommendation_escalations(apps, schema_editor):
    """Escalations already raised for an overdue recommendation response get the
    recommendation's page, as new ones do: their "R-<n>" finds no case."""
    Escalation = apps.get_model("escalations", "Escalation")
    Deadline = apps.get_model("deadlines", "Deadline")
    prefix = "deadlines.deadline:"
    for escalation in Escalation.objects.filter(subject__startswith=prefix, link=""):
        deadline = Deadline.objects.filter(
            pk=escalation.subject.removeprefix(prefix), kind__in=NOT_ABOUT_A_PERSON
        ).first()
        if deadline is not None and deadline.link:
            escalation.link = deadline.link
            escalation.save(update_fields=["link"])


class Migration(migrations.Migration):
    dependencies = [
        ("deadlines", "0002_alter_deadline_kind"),
        ("escalations", "0006_alter_escalation_kind"),
    ]

    operations = [
        migrations.AddField(
            model_name="escalation",
            name="link",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.RunPython(link_recommendation_escalations, migrations.RunPython.noop),
    ]
