"""Identity keys for the persons registered before identity matching existed (cases.identity).

Runs through every person in batches, decrypting the names in memory only to key them; nothing
is written but the keys. Needs ATPAZIT_BLIND_INDEX_KEY and the encryption keys, as the
application does. Reversing drops the keys (the next save of a person writes them again).
"""

from django.db import migrations

BATCH = 2000


def forwards(apps, schema_editor):
    from atpazit.cases import identity

    Person = apps.get_model("cases", "Person")
    IdentityKey = apps.get_model("cases", "IdentityKey")
    last = 0
    while True:
        batch = list(Person.objects.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not batch:
            return
        rows = []
        for person in batch:
            keys = identity.identity_keys(
                given_names=person.given_names,
                family_name=person.family_name,
                aliases=person.aliases,
                date_of_birth=person.date_of_birth,
                document_numbers_text=person.document_numbers,
            )
            rows += [
                IdentityKey(
                    person_id=person.pk,
                    kind=key.kind,
                    word=key.word,
                    token=key.token,
                    birth_year=person.birth_year,
                )
                for key in keys
            ]
        IdentityKey.objects.bulk_create(rows, batch_size=5000)
        last = batch[-1].pk


def backwards(apps, schema_editor):
    apps.get_model("cases", "IdentityKey").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_identity_matching")]

    operations = [migrations.RunPython(forwards, backwards)]
