"""Models moved from referrals with their tables (referrals 0006)."""

import atpazit.lib.fields
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Deadlines and escalations name their object as "app_label.model:pk"; the label changed.
MOVED = ('message', 'attachment')


def _rewrite(apps, old: str, new: str) -> None:
    for app_label, model_name in (("deadlines", "Deadline"), ("escalations", "Escalation")):
        model = apps.get_model(app_label, model_name)
        for model_label in MOVED:
            prefix = f"{old}.{model_label}:"
            for row in model.objects.filter(subject__startswith=prefix).only("pk", "subject"):
                subject = f"{new}.{model_label}:" + row.subject[len(prefix) :]
                model.objects.filter(pk=row.pk).update(subject=subject)


def relabel_subjects(apps, schema_editor) -> None:
    _rewrite(apps, "referrals", 'exchange')


def unrelabel_subjects(apps, schema_editor) -> None:
    _rewrite(apps, 'exchange', "referrals")


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
                    name='Message',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('body', atpazit.lib.fields.EncryptedTextField(verbose_name='message', encryption_context='referrals.message.body')),
                        ('sent_at', models.DateTimeField(auto_now_add=True)),
                        ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('author_organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organisation')),
                        ('referral', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='messages', to='referrals.referral')),
                    ],
                    options={
                        'db_table': 'referrals_message',
                        'ordering': ['sent_at', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='Attachment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('filename', atpazit.lib.fields.EncryptedCharField(max_length=255, verbose_name='file name', encryption_context='referrals.attachment.filename')),
                        ('content_type', models.CharField(max_length=100)),
                        ('size', models.PositiveIntegerField()),
                        ('sha256', models.CharField(max_length=64)),
                        ('content', atpazit.lib.fields.EncryptedTextField(encryption_context='referrals.attachment.content')),
                        ('message', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='attachments', to='exchange.message')),
                    ],
                    options={
                        'db_table': 'referrals_attachment',
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel_subjects, unrelabel_subjects),
    ]
