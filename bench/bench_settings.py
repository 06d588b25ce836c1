"""Settings for the benchmark: the production code path (DEBUG off) on a throwaway database.

``bench/run.py`` sets DATABASE_URL and ATPAZIT_VAR_DIR before importing this. Static files use
the plain storage, so pages render without running collectstatic first.
"""

import os

os.environ.setdefault("ATPAZIT_DEBUG", "false")

from atpazit.settings import *  # noqa: E402,F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["testserver"]
# Sessions in the database, as in production; no e-mail leaves the benchmark.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
