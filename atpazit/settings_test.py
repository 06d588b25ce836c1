"""Settings for the test suite: the normal settings with fixed test keys and plain static files."""

import os

os.environ.setdefault("ATPAZIT_VAR_DIR", "/tmp/atpazit-test-var")  # noqa: S108 - throwaway test dir

from atpazit.settings import *  # noqa: E402,F403

SECRET_KEY = "test-secret-key-not-for-production-" + "x" * 30  # noqa: S105
ATPAZIT_ENCRYPTION_KEYS = {
    "t1": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    "t2": "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=",
}
ATPAZIT_ENCRYPTION_CURRENT_KEY = "t2"
ATPAZIT_BLIND_INDEX_KEY = "YmxpbmQtaW5kZXgta2V5LWZvci10ZXN0cy0wMDAwMDA="  # noqa: S105
ATPAZIT_AUDIT_KEYS = {"a1": "YXVkaXQtY2hhaW4ta2V5LWZvci10ZXN0cy0wMDAwMDA="}
ATPAZIT_AUDIT_CURRENT_KEY = "a1"
ATPAZIT_AUDIT_SIGNING_KEY = "Y2hlY2twb2ludC1zaWduaW5nLWtleS10ZXN0cy0wMDA="  # noqa: S105
ATPAZIT_AUDIT_CHECKPOINT_PUBLIC_KEYS = []
# Plain storage: the manifest storage 404s hashed names under live_server (tech-notes §2).
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher"
]  # speed; argon2 tested separately
# The webhook tests run a real receiver on 127.0.0.1 (ADR 0030).
ATPAZIT_WEBHOOKS_ALLOW_PRIVATE = True
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 - whitenoise warns when it is missing
