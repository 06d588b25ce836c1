"""Models moved from referrals with their tables (referrals 0006)."""

import atpazit.lib.fields
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Deadlines and escalations name their object as "app_label.model:pk"; the label changed.
MOVED = ('informationsheet', 'reflectionperiod')


def _rewrite(apps, old: str, new: str) -> None:
    for app_label, model_name in (("deadlines", "Deadline"), ("escalations", "Escalation")):
        model = apps.get_model(app_label, model_name)
        for model_label in MOVED:
            prefix = f"{old}.{model_label}:"
            for row in model.objects.filter(subject__startswith=prefix).only("pk", "subject"):
                subject = f"{new}.{model_label}:" + row.subject[len(prefix) :]
                model.objects.filter(pk=row.pk).update(subject=subject)


def relabel_subjects(apps, schema_editor) -> None:
    _rewrite(apps, "referrals", 'reflection')


def unrelabel_subjects(apps, schema_editor) -> None:
    _rewrite(apps, 'reflection', "referrals")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("escalations", "0001_initial"),
        ("deadlines", "0002_alter_deadline_kind"),
        ('referrals', '0006_move_models_to_reflection_aftercare_exchange'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # State only: the tables stay where they are (db_table), no row moves.
            state_operations=[
                migrations.CreateModel(
                    name='InformationSheet',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('person_language', models.CharField(max_length=8, verbose_name='language of the person')),
                        ('officer_language', models.CharField(max_length=8, verbose_name='language of the officer')),
                        ('generated_at', models.DateTimeField(auto_now_add=True)),
                        ('document_sha256', models.CharField(max_length=64)),
                        ('handed_over_on', models.DateField(blank=True, null=True, verbose_name='handed over on')),
                        ('receipt_recorded_at', models.DateTimeField(blank=True, null=True)),
                        ('document', atpazit.lib.fields.EncryptedTextField(blank=True, encryption_context='referrals.informationsheet.document')),
                        ('text_version', models.CharField(blank=True, max_length=20)),
                        ('generated_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('handed_over_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='handed over by')),
                        ('suspicion', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='information_sheets', to='referrals.suspicion')),
                    ],
                    options={
                        'db_table': 'referrals_informationsheet',
                        'ordering': ['-generated_at'],
                    },
                ),
                migrations.CreateModel(
                    name='ReflectionPeriod',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('start_event', models.CharField(choices=[('recognition', 'recognition as a victim (Latvian law)'), ('reasonable_grounds', 'reasonable grounds (CoE Convention Art. 13)')], max_length=20, verbose_name='counted from')),
                        ('granted_on', models.DateField(verbose_name='granted on')),
                        ('decision_reference', models.CharField(blank=True, max_length=64, verbose_name='decision reference')),
                        ('starts_on', models.DateField(verbose_name='starts')),
                        ('ends_on', models.DateField(verbose_name='ends')),
                        ('ended_early_on', models.DateField(blank=True, null=True, verbose_name='ended early on')),
                        ('ended_early_reason', models.CharField(blank=True, choices=[('cooperation', 'the person decided to cooperate; residence permit track started'), ('renewed_contact', 'the person actively and voluntarily renewed contact with the suspects'), ('public_policy', 'public policy or national security'), ('voluntary_return', 'the person chose assisted voluntary return'), ('other', 'other reason (see the note)')], max_length=24, verbose_name='why it ended early')),
                        ('ended_early_note', atpazit.lib.fields.EncryptedTextField(blank=True, verbose_name='note on the early end', encryption_context='referrals.reflectionperiod.ended_early_note')),
                        ('ended_early_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('suspicion', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='reflection_period', to='referrals.suspicion')),
                    ],
                    options={
                        'db_table': 'referrals_reflectionperiod',
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel_subjects, unrelabel_subjects),
    ]
