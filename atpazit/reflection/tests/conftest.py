"""The referral personas and organisations (riga, janis, marta, liga, ...) of the referrals
tests, shared rather than declared again: these flows start from a suspicion and its tracks."""

from atpazit.referrals.tests.conftest import *  # noqa: F403
