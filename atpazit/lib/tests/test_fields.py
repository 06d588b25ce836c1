"""Encrypted model fields and key rotation, on a test-only model in an isolated app registry."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import FieldError, ValidationError
from django.db import connection, models
from django.db.migrations.writer import MigrationWriter
from django.test.utils import isolate_apps

from atpazit.lib import crypto
from atpazit.lib.crypto import DecryptionError
from atpazit.lib.fields import EncryptedCharField, EncryptedTextField, rotate_model_field

from .conftest import OLD_KEY

NAME = "Ļubova Bērziņa"


@pytest.fixture(scope="module")
def secret_model(django_db_setup, django_db_blocker):
    """A table made with the schema editor, as a migration would, and dropped afterwards."""
    with isolate_apps("atpazit.lib"):

        class Secret(models.Model):
            name = EncryptedCharField(max_length=100, null=True, blank=True)
            notes = EncryptedTextField(blank=True, default="")
            plain = models.CharField(max_length=20, blank=True, default="")

            class Meta:
                app_label = "lib"

            def __str__(self) -> str:
                return f"Secret {self.pk}"

    with django_db_blocker.unblock():
        with connection.schema_editor() as editor:
            editor.create_model(Secret)
        yield Secret
        with connection.schema_editor() as editor:
            editor.delete_model(Secret)


@pytest.fixture
def secret(secret_model, keys, db):
    return secret_model


def raw_row(model, pk):
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name, notes FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()


def write_raw(model, pk, **columns):
    table = model._meta.db_table
    assignments = ", ".join(f"{column} = %s" for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {assignments} WHERE id = %s",  # noqa: S608 - test-only names
            [*columns.values(), pk],
        )


class TestEncryptedFields:
    def test_it_round_trips_and_stores_only_ciphertext(self, secret):
        obj = secret.objects.create(name=NAME, notes="Saka, ka parāds ir 3000 EUR.")
        fetched = secret.objects.get(pk=obj.pk)
        assert (fetched.name, fetched.notes) == (NAME, "Saka, ka parāds ir 3000 EUR.")
        raw_name, raw_notes = raw_row(secret, obj.pk)
        assert raw_name.startswith("v1.new.")
        assert raw_notes.startswith("v1.new.")
        assert "Bērziņa" not in raw_name

    def test_it_binds_the_column_as_context(self, secret):
        assert secret._meta.get_field("name").encryption_context == "lib.secret.name"

    def test_none_and_blank_are_stored_as_is(self, secret):
        obj = secret.objects.create(name=None, notes="")
        assert raw_row(secret, obj.pk) == (None, "")
        fetched = secret.objects.get(pk=obj.pk)
        assert (fetched.name, fetched.notes) == (None, "")

    def test_values_are_decrypted(self, secret):
        obj = secret.objects.create(name=NAME)
        assert list(secret.objects.filter(pk=obj.pk).values_list("name", flat=True)) == [NAME]

    def test_a_value_moved_to_another_column_fails(self, secret):
        obj = secret.objects.create(name=NAME, notes="x")
        write_raw(secret, obj.pk, notes=raw_row(secret, obj.pk)[0])
        with pytest.raises(DecryptionError):
            secret.objects.get(pk=obj.pk)

    def test_a_value_under_an_unknown_key_names_the_key(self, secret, settings):
        obj = secret.objects.create(name=NAME)
        settings.ATPAZIT_ENCRYPTION_KEYS = {"old": OLD_KEY}
        settings.ATPAZIT_ENCRYPTION_CURRENT_KEY = "old"
        with pytest.raises(DecryptionError, match="'new'"):
            secret.objects.get(pk=obj.pk)


class TestLookups:
    @pytest.mark.parametrize(
        "lookup", [{"name": NAME}, {"name__icontains": "a"}, {"name__in": [NAME]}]
    )
    def test_searching_ciphertext_is_refused(self, secret, lookup):
        with pytest.raises(FieldError, match="blind index"):
            list(secret.objects.filter(**lookup))

    def test_blank_and_null_can_be_filtered(self, secret):
        blank = secret.objects.create(name="", notes="")
        empty = secret.objects.create(name=None, notes=NAME)
        assert list(secret.objects.filter(name="")) == [blank]
        assert list(secret.objects.filter(name__isnull=True)) == [empty]
        assert list(secret.objects.exclude(notes="")) == [empty]


class TestMigrations:
    def test_deconstruct_gives_a_plain_importable_field(self, secret):
        name, path, args, kwargs = secret._meta.get_field("name").deconstruct()
        assert (name, path, args) == ("name", "atpazit.lib.fields.EncryptedCharField", [])
        assert kwargs == {"max_length": 100, "null": True, "blank": True}

    def test_an_explicit_context_survives_deconstruct(self):
        field = EncryptedTextField(encryption_context="cases.person.given_name")
        assert field.deconstruct()[3] == {"encryption_context": "cases.person.given_name"}
        assert field.clone().encryption_context == "cases.person.given_name"

    def test_the_migration_writer_serialises_it(self, secret):
        source, imports = MigrationWriter.serialize(secret._meta.get_field("notes"))
        assert source == "atpazit.lib.fields.EncryptedTextField(blank=True, default='')"
        assert imports == {"import atpazit.lib.fields"}

    def test_the_column_is_text(self, secret):
        field = secret._meta.get_field("name")
        assert field.db_type(connection) == models.TextField().db_type(connection)

    def test_unique_is_an_error(self):
        with isolate_apps("atpazit.lib"):

            class Unique(models.Model):
                name = EncryptedTextField(unique=True)

                class Meta:
                    app_label = "lib"

                def __str__(self) -> str:
                    return "unique"

        errors = Unique._meta.get_field("name").check()
        assert [error.id for error in errors] == ["atpazit.E001"]


class TestEncryptedCharField:
    def test_max_length_limits_the_plaintext(self, secret):
        obj = secret(name="x" * 101)
        with pytest.raises(ValidationError) as caught:
            obj.full_clean()
        assert "name" in caught.value.message_dict

    def test_its_form_field_is_one_line(self, secret):
        formfield = secret._meta.get_field("name").formfield()
        assert isinstance(formfield, forms.CharField)
        assert isinstance(formfield.widget, forms.TextInput)
        assert formfield.max_length == 100


class TestRotateModelField:
    def create_under_old_key(self, model, settings, names):
        settings.ATPAZIT_ENCRYPTION_CURRENT_KEY = "old"
        objs = [model.objects.create(name=name, notes=name or "") for name in names]
        settings.ATPAZIT_ENCRYPTION_CURRENT_KEY = "new"
        return objs

    def test_it_reencrypts_old_values_under_the_current_key(self, secret, settings):
        objs = self.create_under_old_key(secret, settings, ["Anna", "Jānis", None, "", "Алёна"])
        objs.append(secret.objects.create(name="Already new"))
        assert rotate_model_field(secret, "name", batch_size=2) == 3
        for obj in objs:
            raw_name, raw_notes = raw_row(secret, obj.pk)
            assert not raw_name or crypto.key_id_of(raw_name) == "new"
            assert secret.objects.get(pk=obj.pk).name == obj.name

    def test_it_leaves_other_fields_alone(self, secret, settings):
        (obj,) = self.create_under_old_key(secret, settings, ["Anna"])
        rotate_model_field(secret, "name")
        assert crypto.key_id_of(raw_row(secret, obj.pk)[1]) == "old"

    def test_a_second_run_has_nothing_to_do(self, secret, settings):
        self.create_under_old_key(secret, settings, ["Anna", "Jānis"])
        assert rotate_model_field(secret, "name", batch_size=1) == 2
        assert rotate_model_field(secret, "name", batch_size=1) == 0

    def test_it_names_a_missing_key(self, secret, settings):
        self.create_under_old_key(secret, settings, ["Anna"])
        settings.ATPAZIT_ENCRYPTION_KEYS = {"new": settings.ATPAZIT_ENCRYPTION_KEYS["new"]}
        with pytest.raises(DecryptionError, match="'old'"):
            rotate_model_field(secret, "name")

    def test_it_refuses_a_plain_field(self, secret):
        with pytest.raises(TypeError, match="not an encrypted field"):
            rotate_model_field(secret, "plain")
