from __future__ import annotations

import pytest

from atpazit.webhooks.tests.factories import receiver

__all__ = ["commits", "receiver"]


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    """Run what waits for the commit, as the end of a request's transaction would."""

    def run(call):
        with django_capture_on_commit_callbacks(execute=True):
            return call()

    return run
