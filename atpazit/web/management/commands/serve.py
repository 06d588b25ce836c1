"""``atpazit serve``: gunicorn in production, Django's development server otherwise."""

from __future__ import annotations

import os
import shutil
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'


class Command(BaseCommand):
    help = "Serve Atpazīt: gunicorn when ATPAZIT_ENV=production, the development server otherwise."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("ATPAZIT_BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("ATPAZIT_WORKERS", "3"))
        )

    def handle(self, *args: Any, bind: str, workers: int, **options: Any) -> None:
        if not settings.PRODUCTION:
            call_command("runserver", bind, use_reloader=False)
            return
        gunicorn = shutil.which("gunicorn") or os.path.join(
            os.path.dirname(sys.executable), "gunicorn"
        )
        if not os.path.exists(gunicorn):
            raise CommandError("gunicorn is not installed in this environment")
        argv = [
            gunicorn,
            "atpazit.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--access-logfile",
            "-",
            # The path without the query string: a name typed into a search must not reach logs.
            "--access-logformat",
            ACCESS_LOG_FORMAT,
            "--forwarded-allow-ips",
            os.environ.get("ATPAZIT_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]
        os.execv(gunicorn, argv)  # noqa: S606 - replaces this process with the server
