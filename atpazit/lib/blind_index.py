"""Keyed blind indexes, so encrypted names can be found by exact (normalised) match.

``blind_index(value)`` is HMAC-SHA256 over the normalised value with
``ATPAZIT_BLIND_INDEX_KEY``, truncated to ``INDEX_HEX_LENGTH`` hex characters (64 bits: at a
million people the chance of any accidental collision is about 1 in 30 million, and a match
is only a candidate that the caller confirms on the decrypted value anyway).
``name_tokens(full_name)`` gives one index per word, so "Ivanova" finds "Anna Ivanova".
Each use has its own ``purpose`` (mixed into the HMAC), so a name index and, say, a
document-number index of the same string differ and cannot be joined.

Privacy trade-off, accepted on purpose (DESIGN §7): an index hides the name but not
equality. Anyone who can read the table sees which people share a name (or a surname: word
tokens link family members) and how common each value is, so frequent surnames stand out.
Anyone who also holds the key can test guesses from a list of names. So the key is a
separate secret from the encryption keys and the database, and changing it means
recomputing every index from the decrypted names.

Normalisation (``normalise``) makes spelling variants meet: NFKC, casefold, Latin
diacritics removed (ā->a, č->c, ļ->l, ø->o, ß->ss ...), Cyrillic kept as is except ё->е,
apostrophes and invisible format characters (zero-width spaces and joiners, bidirectional
marks: Unicode category Cf) dropped, other punctuation treated as a space, whitespace
collapsed. It does not
transliterate between scripts: "Иванова" and "Ivanova" index differently.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import unicodedata

from django.conf import settings

from atpazit.lib.crypto import KeyConfigurationError, decode_key

INDEX_HEX_LENGTH = 16
MIN_TOKEN_LENGTH = 2
NAME_PURPOSE = "name"
NAME_TOKEN_PURPOSE = "name-token"  # noqa: S105 - a label mixed into the HMAC, not a secret

# Latin letters with no Unicode decomposition, so NFD alone would not fold them.
_LATIN_EXTRA = str.maketrans(
    {
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ħ": "h",
        "ı": "i",
        "ŧ": "t",
        "ŀ": "l",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
        "ð": "d",
        "ĸ": "k",
    }
)
_APOSTROPHES = frozenset("'\u2018\u2019\u02bc\u02b9\u0060\u00b4")


def normalise(name: str) -> str:
    """Return the form in which two spellings of the same name compare equal.

    Used by ``blind_index`` and by search forms; pure, needs no settings.
    """
    text = unicodedata.normalize("NFKC", name).casefold().replace("ё", "е")
    text = _fold_latin_marks(text).translate(_LATIN_EXTRA)
    text = "".join(_separator_or_char(char) for char in text)
    return " ".join(text.split())


def blind_index(value: str, *, purpose: str = NAME_PURPOSE) -> str | None:
    """Return the hex blind index of ``value``, or None if nothing is left after normalising.

    Called by services that store a name; raises KeyConfigurationError if the key is unset.
    """
    normalised = normalise(value)
    if not normalised:
        return None
    return _hmac_hex(normalised, purpose)


def name_tokens(full_name: str) -> set[str]:
    """Return one blind index per word of ``full_name`` (words shorter than 2 are skipped).

    Store these for each person; a search computes them for the query and matches people
    holding all of them. Raises KeyConfigurationError if the key is unset.
    """
    words = {word for word in normalise(full_name).split() if len(word) >= MIN_TOKEN_LENGTH}
    return {_hmac_hex(word, NAME_TOKEN_PURPOSE) for word in words}


def keyed_token(value: str, *, purpose: str) -> str:
    """The keyed index of ``value`` as given (the caller has normalised it), for ``purpose``.

    ``cases.identity`` uses it for its own keys (romanised words, skeletons, dates).
    Raises KeyConfigurationError if the key is unset."""
    return _hmac_hex(value, purpose)


def _hmac_hex(normalised: str, purpose: str) -> str:
    # The NUL keeps purpose and value apart: ("a", "bc") and ("ab", "c") never collide.
    message = f"{purpose}\0{normalised}".encode()
    digest = hmac.new(_index_key(), message, hashlib.sha256).hexdigest()
    return digest[:INDEX_HEX_LENGTH]


def _index_key() -> bytes:
    value = getattr(settings, "ATPAZIT_BLIND_INDEX_KEY", "")
    if not value:
        raise KeyConfigurationError("ATPAZIT_BLIND_INDEX_KEY is not set.")
    return _decoded(value)


@functools.lru_cache(maxsize=4)
def _decoded(value: str) -> bytes:
    return decode_key(value, setting="ATPAZIT_BLIND_INDEX_KEY")


def _fold_latin_marks(text: str) -> str:
    # Drop combining marks only after a Latin base letter: "й" (и + breve) must stay "й".
    kept: list[str] = []
    base_is_latin = False
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char):
            if not base_is_latin:
                kept.append(char)
            continue
        base_is_latin = _is_latin(char)
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


@functools.lru_cache(maxsize=1024)
def _is_latin(char: str) -> bool:
    return unicodedata.name(char, "").startswith("LATIN ")


def _separator_or_char(char: str) -> str:
    if char in _APOSTROPHES or unicodedata.category(char) == "Cf":
        return ""
    # Letters, marks and digits are the name; hyphens, dots, commas etc. separate words.
    return char if unicodedata.category(char)[0] in "LMN" else " "
