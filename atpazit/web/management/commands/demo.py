"""``atpazit demo``: load synthetic demo data; ``atpazit demo totp USER``: a demo user's 2FA code."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from atpazit.lib.registry import DEMO_LOADERS


class Command(BaseCommand):
    help = "Load synthetic demo data (idempotent), or print a demo user's current 2FA code."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action")
        totp_parser = sub.add_parser(
            "totp", help="print the current two-factor code of a demo user"
        )
        totp_parser.add_argument("username")

    def handle(self, *args: Any, action: str | None = None, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Demo data and demo codes exist only in development mode.")
        if action == "totp":
            self.stdout.write(self._code_for(options["username"]))
            return
        # The apps register their loaders (atpazit.lib.registry); each creates its demo records
        # if they are missing and returns lines to print.
        for _position, dotted in DEMO_LOADERS:
            module_name, function_name = dotted.rsplit(".", 1)
            for line in getattr(import_module(module_name), function_name)():
                self.stdout.write(line)

    def _code_for(self, username: str) -> str:
        device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
        if device is None:
            raise CommandError(f"{username} has no confirmed authenticator (not a demo user?)")
        return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"
