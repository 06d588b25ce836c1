"""Models moved from referrals with their tables (referrals 0006)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Deadlines and escalations name their object as "app_label.model:pk"; the label changed.
MOVED = ('servicerequest', 'servicedecision', 'rehabilitation', 'residencepermit', 'returndecision')


def _rewrite(apps, old: str, new: str) -> None:
    for app_label, model_name in (("deadlines", "Deadline"), ("escalations", "Escalation")):
        model = apps.get_model(app_label, model_name)
        for model_label in MOVED:
            prefix = f"{old}.{model_label}:"
            for row in model.objects.filter(subject__startswith=prefix).only("pk", "subject"):
                subject = f"{new}.{model_label}:" + row.subject[len(prefix) :]
                model.objects.filter(pk=row.pk).update(subject=subject)


def relabel_subjects(apps, schema_editor) -> None:
    _rewrite(apps, "referrals", 'aftercare')


def unrelabel_subjects(apps, schema_editor) -> None:
    _rewrite(apps, 'aftercare', "referrals")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("escalations", "0001_initial"),
        ("deadlines", "0002_alter_deadline_kind"),
        ('accounts', '0003_password_links'),
        ('referrals', '0006_move_models_to_reflection_aftercare_exchange'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # State only: the tables stay where they are (db_table), no row moves.
            state_operations=[
                migrations.CreateModel(
                    name='Rehabilitation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('started_on', models.DateField(verbose_name='started on')),
                        ('ended_on', models.DateField(blank=True, null=True, verbose_name='ended on')),
                        ('provider', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organisation')),
                        ('suspicion', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='rehabilitation', to='referrals.suspicion')),
                    ],
                    options={
                        'db_table': 'referrals_rehabilitation',
                    },
                ),
                migrations.CreateModel(
                    name='ResidencePermit',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('requested', 'requested'), ('granted', 'granted'), ('refused', 'refused')], max_length=10, verbose_name='status')),
                        ('status_on', models.DateField(verbose_name='date')),
                        ('valid_until', models.DateField(blank=True, null=True, verbose_name='valid until')),
                        ('reference', models.CharField(blank=True, max_length=64, verbose_name='reference')),
                        ('recorded_at', models.DateTimeField(auto_now_add=True, null=True)),
                        ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('suspicion', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='residence_permits', to='referrals.suspicion')),
                    ],
                    options={
                        'db_table': 'referrals_residencepermit',
                        'ordering': ['-status_on', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='ReturnDecision',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('voluntary_return', 'assisted voluntary return agreed'), ('removal', 'return decision in force: removal may be rescheduled')], max_length=20, verbose_name='decision')),
                        ('decided_on', models.DateField(verbose_name='decided on')),
                        ('reference', models.CharField(max_length=64, verbose_name='decision reference')),
                        ('recorded_at', models.DateTimeField(auto_now_add=True)),
                        ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('suspicion', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='return_decisions', to='referrals.suspicion')),
                    ],
                    options={
                        'db_table': 'referrals_returndecision',
                        'ordering': ['-decided_on', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='ServiceRequest',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('requested_at', models.DateTimeField(auto_now_add=True, verbose_name='requested')),
                        ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('requested_by_organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organisation')),
                        ('suspicion', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='service_requests', to='referrals.suspicion')),
                        ('to_organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='service_requests_received', to='accounts.organisation')),
                    ],
                    options={
                        'db_table': 'referrals_servicerequest',
                        'ordering': ['-requested_at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='ServiceDecision',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('decision', models.CharField(choices=[('assigned', 'service assigned'), ('queued', 'placed in the queue'), ('refused', 'service refused')], max_length=10, verbose_name='decision')),
                        ('decided_on', models.DateField(verbose_name='decided on')),
                        ('reference', models.CharField(blank=True, max_length=64, verbose_name='decision reference')),
                        ('decided_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('suspicion', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='service_decisions', to='referrals.suspicion')),
                        ('request', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='decisions', to='aftercare.servicerequest')),
                    ],
                    options={
                        'db_table': 'referrals_servicedecision',
                        'ordering': ['-decided_on', '-pk'],
                    },
                ),
                migrations.AddIndex(
                    model_name='servicerequest',
                    index=models.Index(fields=['to_organisation', '-requested_at'], name='referrals_s_to_orga_01f7ee_idx'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel_subjects, unrelabel_subjects),
    ]
