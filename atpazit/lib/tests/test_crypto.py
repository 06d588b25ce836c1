"""Field-level encryption: tokens, contexts, tampering, unknown keys and configuration."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from atpazit.lib import crypto
from atpazit.lib.crypto import DecryptionError, KeyConfigurationError

from .conftest import NEW_KEY, OLD_KEY

CONTEXT = "cases.person.given_name"
NAME = "Ļubova Bērziņa Алёна"


@pytest.mark.usefixtures("keys")
class TestEncrypt:
    def test_it_round_trips_unicode(self):
        token = crypto.encrypt(NAME, context=CONTEXT)
        assert crypto.decrypt(token, context=CONTEXT) == NAME

    def test_it_round_trips_the_empty_string(self):
        assert crypto.decrypt(crypto.encrypt("", context=CONTEXT), context=CONTEXT) == ""

    def test_it_writes_a_versioned_ascii_token_under_the_current_key(self):
        token = crypto.encrypt(NAME, context=CONTEXT)
        version, key_id, payload = token.split(".")
        assert (version, key_id) == ("v1", "new")
        assert token.isascii()
        assert "=" not in payload

    def test_it_uses_a_fresh_nonce_each_time(self):
        assert crypto.encrypt(NAME, context=CONTEXT) != crypto.encrypt(NAME, context=CONTEXT)

    def test_it_reads_settings_at_call_time(self, settings):
        settings.ATPAZIT_ENCRYPTION_CURRENT_KEY = "old"
        assert crypto.key_id_of(crypto.encrypt(NAME, context=CONTEXT)) == "old"

    def test_it_rejects_non_text(self):
        with pytest.raises(TypeError):
            crypto.encrypt(b"bytes", context=CONTEXT)  # type: ignore[arg-type]

    def test_it_requires_a_context(self):
        with pytest.raises(ValueError, match="context"):
            crypto.encrypt(NAME, context="")


@pytest.mark.usefixtures("keys")
class TestDecrypt:
    def test_it_fails_for_another_context(self):
        token = crypto.encrypt(NAME, context=CONTEXT)
        with pytest.raises(DecryptionError) as caught:
            crypto.decrypt(token, context="cases.person.family_name")
        assert caught.value.key_id == "new"

    def test_it_fails_for_a_tampered_payload(self):
        token = crypto.encrypt(NAME, context=CONTEXT)
        head, payload = token.rsplit(".", 1)
        flipped = payload[:10] + ("A" if payload[10] != "A" else "B") + payload[11:]
        with pytest.raises(DecryptionError, match="failed authentication"):
            crypto.decrypt(f"{head}.{flipped}", context=CONTEXT)

    def test_it_fails_when_the_key_id_is_relabelled(self):
        token = crypto.encrypt(NAME, context=CONTEXT)
        with pytest.raises(DecryptionError):
            crypto.decrypt(token.replace("v1.new.", "v1.old.", 1), context=CONTEXT)

    @pytest.mark.parametrize(
        "token",
        ["", "plain text", "v2.new.AAAA", "v1.new", "v1.n.e.w.AAAA", "v1.new.!!!!", "v1.new.AAAA"],
    )
    def test_it_rejects_malformed_tokens(self, token):
        with pytest.raises(DecryptionError):
            crypto.decrypt(token, context=CONTEXT)

    def test_it_names_an_unknown_key(self, settings):
        token = crypto.encrypt(NAME, context=CONTEXT)
        settings.ATPAZIT_ENCRYPTION_KEYS = {"old": OLD_KEY}
        settings.ATPAZIT_ENCRYPTION_CURRENT_KEY = "old"
        with pytest.raises(DecryptionError, match="'new' is not configured") as caught:
            crypto.decrypt(token, context=CONTEXT)
        assert caught.value.key_id == "new"

    def test_its_messages_never_contain_the_plaintext(self):
        token = crypto.encrypt(NAME, context=CONTEXT)
        with pytest.raises(DecryptionError) as caught:
            crypto.decrypt(token, context="other")
        assert "Ļubova" not in str(caught.value)
        assert caught.value.__cause__ is None


@pytest.mark.usefixtures("keys")
class TestRotationHelpers:
    def test_key_id_of_reads_the_token(self):
        assert crypto.key_id_of(crypto.encrypt(NAME, context=CONTEXT)) == "new"

    def test_needs_rotation_is_true_only_for_older_keys(self, settings):
        settings.ATPAZIT_ENCRYPTION_CURRENT_KEY = "old"
        old_token = crypto.encrypt(NAME, context=CONTEXT)
        settings.ATPAZIT_ENCRYPTION_CURRENT_KEY = "new"
        new_token = crypto.encrypt(NAME, context=CONTEXT)
        assert crypto.needs_rotation(old_token)
        assert not crypto.needs_rotation(new_token)
        assert crypto.decrypt(old_token, context=CONTEXT) == NAME


class TestKeyConfiguration:
    def test_it_requires_the_current_key_among_the_keys(self, settings):
        settings.ATPAZIT_ENCRYPTION_KEYS = {"old": OLD_KEY}
        settings.ATPAZIT_ENCRYPTION_CURRENT_KEY = "new"
        with pytest.raises(KeyConfigurationError, match="ATPAZIT_ENCRYPTION_CURRENT_KEY"):
            crypto.encrypt(NAME, context=CONTEXT)

    def test_it_refuses_missing_keys(self, settings):
        settings.ATPAZIT_ENCRYPTION_KEYS = {}
        settings.ATPAZIT_ENCRYPTION_CURRENT_KEY = ""
        with pytest.raises(KeyConfigurationError, match="none configured"):
            crypto.encrypt(NAME, context=CONTEXT)

    def test_it_refuses_a_short_key_without_echoing_it(self, settings):
        short = base64.urlsafe_b64encode(b"x" * 16).decode()
        settings.ATPAZIT_ENCRYPTION_KEYS = {"k1": short}
        settings.ATPAZIT_ENCRYPTION_CURRENT_KEY = "k1"
        with pytest.raises(KeyConfigurationError, match="32 bytes") as caught:
            crypto.encrypt(NAME, context=CONTEXT)
        assert short not in str(caught.value)

    def test_it_refuses_a_key_id_with_a_dot(self, settings):
        settings.ATPAZIT_ENCRYPTION_KEYS = {"k.1": NEW_KEY}
        settings.ATPAZIT_ENCRYPTION_CURRENT_KEY = "k.1"
        with pytest.raises(KeyConfigurationError, match="key id"):
            crypto.encrypt(NAME, context=CONTEXT)

    def test_a_configuration_error_is_improperly_configured(self):
        from django.core.exceptions import ImproperlyConfigured

        assert issubclass(KeyConfigurationError, ImproperlyConfigured)


class TestKeys:
    def test_generate_key_gives_32_random_bytes(self):
        first, second = crypto.generate_key(), crypto.generate_key()
        assert len(base64.urlsafe_b64decode(first)) == 32
        assert first != second

    @pytest.mark.parametrize("variant", [NEW_KEY, NEW_KEY.rstrip("="), NEW_KEY.replace("-", "+")])
    def test_decode_key_accepts_padding_and_either_alphabet(self, variant):
        assert crypto.decode_key(variant, setting="X") == bytes(range(100, 132))

    @pytest.mark.parametrize("value", ["", "not base64!", "QUJD"])
    def test_decode_key_names_the_setting(self, value):
        with pytest.raises(KeyConfigurationError, match="THE_SETTING"):
            crypto.decode_key(value, setting="THE_SETTING")


@pytest.mark.usefixtures("keys")
class TestProperties:
    @hypothesis_settings(max_examples=50)
    @given(st.text(), st.text(min_size=1))
    def test_any_text_round_trips_in_its_context(self, text, context):
        assert crypto.decrypt(crypto.encrypt(text, context=context), context=context) == text
