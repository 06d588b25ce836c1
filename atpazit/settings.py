"""Django settings for Atpazīt.

With no configuration at all this is development mode: DEBUG on, SQLite under var/, secrets
generated into var/dev-secrets.json. ``ATPAZIT_ENV=production`` switches production mode on; it
refuses to start with an insecure configuration and lists exactly what to set.
Every variable is listed in .env.example.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from atpazit.lib import devkeys
from atpazit.lib.env import (
    database_from_url,
    env_bool,
    env_int,
    env_json_dict,
    env_list,
    env_lockout_hours,
    env_str,
)
from atpazit.lib.production import production_problems

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("ATPAZIT_VAR_DIR", str(BASE_DIR / "var")))

ENVIRONMENT = env_str("ATPAZIT_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("ATPAZIT_ENV must be 'development' or 'production'")
PRODUCTION = ENVIRONMENT == "production"
DEBUG = env_bool("ATPAZIT_DEBUG", default=not PRODUCTION)

_dev = {} if PRODUCTION else devkeys.load_or_create(VAR_DIR)
SECRET_KEY = env_str("ATPAZIT_SECRET_KEY", _dev.get("secret_key", ""))
ATPAZIT_ENCRYPTION_KEYS = env_json_dict("ATPAZIT_ENCRYPTION_KEYS") or (
    {"dev1": _dev["encryption_key"]} if _dev else {}
)
ATPAZIT_ENCRYPTION_CURRENT_KEY = env_str(
    "ATPAZIT_ENCRYPTION_CURRENT_KEY", max(ATPAZIT_ENCRYPTION_KEYS, default="")
)
ATPAZIT_BLIND_INDEX_KEY = env_str("ATPAZIT_BLIND_INDEX_KEY", _dev.get("blind_index_key", ""))
ATPAZIT_2FA_REQUIRED = env_bool("ATPAZIT_2FA_REQUIRED", default=True)
# The audit chain (docs/decisions/0005-keyed-audit-chain.md): HMAC keys for the links, the key new
# events use, the Ed25519 key that signs checkpoints (only the checkpoint job needs it), and the
# public keys whose checkpoints `atpazit audit verify --checkpoint` accepts.
ATPAZIT_AUDIT_KEYS = env_json_dict("ATPAZIT_AUDIT_KEYS") or (
    {"dev1": _dev["audit_key"]} if _dev else {}
)
ATPAZIT_AUDIT_CURRENT_KEY = env_str(
    "ATPAZIT_AUDIT_CURRENT_KEY", max(ATPAZIT_AUDIT_KEYS, default="")
)
ATPAZIT_AUDIT_SIGNING_KEY = env_str("ATPAZIT_AUDIT_SIGNING_KEY", _dev.get("audit_signing_key", ""))
ATPAZIT_AUDIT_CHECKPOINT_PUBLIC_KEYS = env_list("ATPAZIT_AUDIT_CHECKPOINT_PUBLIC_KEYS")

ALLOWED_HOSTS = env_list(
    "ATPAZIT_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("ATPAZIT_CSRF_TRUSTED_ORIGINS")
ATPAZIT_BASE_URL = env_str("ATPAZIT_BASE_URL", "http://127.0.0.1:8000")

if PRODUCTION:
    _problems = production_problems(
        secret_key=SECRET_KEY,
        encryption_keys=ATPAZIT_ENCRYPTION_KEYS,
        current_key=ATPAZIT_ENCRYPTION_CURRENT_KEY,
        blind_index_key=ATPAZIT_BLIND_INDEX_KEY,
        audit_keys=ATPAZIT_AUDIT_KEYS,
        audit_current_key=ATPAZIT_AUDIT_CURRENT_KEY,
        two_factor_required=ATPAZIT_2FA_REQUIRED,
        allowed_hosts=ALLOWED_HOSTS,
        debug=DEBUG,
    )
    if _problems:
        raise ImproperlyConfigured(
            "Atpazīt refuses to start in production mode:\n  - " + "\n  - ".join(_problems)
        )

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    # django-ninja: its Swagger UI files are served from our static files, never a CDN.
    "ninja",
    "atpazit.accounts",
    "atpazit.audit",
    "atpazit.web",
    "atpazit.screening",
    "atpazit.cases",
    "atpazit.removals",
    "atpazit.escalations",
    "atpazit.notifications",
    "atpazit.deadlines",
    "atpazit.referrals",
    "atpazit.reflection",
    "atpazit.aftercare",
    "atpazit.exchange",
    "atpazit.monitoring",
    "atpazit.training",
    "atpazit.stats",
    "atpazit.api",
    "atpazit.retention",
    "atpazit.webhooks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "atpazit.web.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "atpazit.accounts.middleware.UserLanguageMiddleware",
    "atpazit.accounts.middleware.ActiveOrganisationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "atpazit.accounts.middleware.TwoFactorRequiredMiddleware",
    "atpazit.audit.middleware.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "atpazit.urls"
WSGI_APPLICATION = "atpazit.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "atpazit.web.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'atpazit.sqlite3'}"), base_dir=BASE_DIR
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A one-time link to set one's own password (invitation, or after a reset) works this long.
ATPAZIT_PASSWORD_LINK_HOURS = env_int("ATPAZIT_PASSWORD_LINK_HOURS", 72)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# Idle timeout: every request renews the session, so it ends after this much inactivity.
SESSION_COOKIE_AGE = env_int("ATPAZIT_SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env_bool("ATPAZIT_SSL_REDIRECT", default=PRODUCTION)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_HSTS_SECONDS = 63072000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

AXES_FAILURE_LIMIT = env_int("ATPAZIT_LOCKOUT_FAILURES", 5)
# 0: locked until a system administrator unlocks it (`atpazit axes_reset_username <username>`).
AXES_COOLOFF_TIME = env_lockout_hours("ATPAZIT_LOCKOUT_MINUTES", 30)
AXES_LOCKOUT_PARAMETERS = ["username"]
# Lockout is per account on purpose: detention centres and offices share one NAT address, and an
# IP lockout would lock out every officer there. Password guessing per account is what we stop.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Axes keeps the form fields of failed attempts; no password of any form may be among them.
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "ip_address",
    "current_password",
    "new_password1",
    "new_password2",
    "token",
]
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env_int("ATPAZIT_PROXY_COUNT", 0) or None
# Reverse proxies whose X-Forwarded-For is believed for the client address in the audit trail
# (addresses or networks); from anyone else the header is ignored. See audit/middleware.py.
ATPAZIT_TRUSTED_PROXIES = env_list("ATPAZIT_TRUSTED_PROXIES")
for _proxy in ATPAZIT_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as _exc:
        raise ImproperlyConfigured(
            f"ATPAZIT_TRUSTED_PROXIES must list IP addresses or networks: {_exc}"
        ) from None

OTP_TOTP_ISSUER = "Atpazīt"

# Reflection period (nogaidīšanas periods). Latvian law grants it after recognition as a victim
# and counts it from the grant decision ("recognition"); a CoE Convention Art. 13 reading starts
# it as soon as there are reasonable grounds, i.e. when the suspicion is raised.
ATPAZIT_REFLECTION_START_EVENT = env_str("ATPAZIT_REFLECTION_START_EVENT", "recognition")
if ATPAZIT_REFLECTION_START_EVENT not in {"recognition", "reasonable_grounds"}:
    raise ImproperlyConfigured(
        "ATPAZIT_REFLECTION_START_EVENT must be 'recognition' or 'reasonable_grounds'"
    )
ATPAZIT_REFLECTION_DAYS = env_int("ATPAZIT_REFLECTION_DAYS", 30)
# Forced-return monitoring: the notice (hours before departure) the Border Guard should give the
# Ombudsman's Office of an operation; a mission records whether it was given in time.
ATPAZIT_MONITORING_NOTICE_HOURS = env_int("ATPAZIT_MONITORING_NOTICE_HOURS", 72)
# Statistics: cells below this count are hidden from readers without case-level access and in
# every export (docs/disclosure-control.md). At least 1; 1 hides nothing.
ATPAZIT_STATS_MIN_CELL = env_int("ATPAZIT_STATS_MIN_CELL", 10)
# The current year's national figures are counted again this often, in minutes, by the task
# worker (queued by ``atpazit tick``; ADR 0028): the coordinator's page reads that count while it
# is at most twice this old, and counts live otherwise. At least 1.
ATPAZIT_STATS_RECOUNT_MINUTES = env_int("ATPAZIT_STATS_RECOUNT_MINUTES", 15)
# Retention periods in days (retention/schedule.py, docs/data-retention.md): counted from the end
# of the last activity of a case; the defaults wait for the controller's data protection officer.
ATPAZIT_RETENTION_CASE_DAYS = env_int("ATPAZIT_RETENTION_CASE_DAYS", 5 * 365 + 1)
ATPAZIT_RETENTION_MESSAGES_DAYS = env_int("ATPAZIT_RETENTION_MESSAGES_DAYS", 5 * 365 + 1)
ATPAZIT_RETENTION_NOTIFICATION_DAYS = env_int("ATPAZIT_RETENTION_NOTIFICATION_DAYS", 365)
ATPAZIT_RETENTION_EMAIL_DAYS = env_int("ATPAZIT_RETENTION_EMAIL_DAYS", 90)
ATPAZIT_RETENTION_WEBHOOK_DAYS = env_int("ATPAZIT_RETENTION_WEBHOOK_DAYS", 90)
# The worker purges once a day only when this is on (ADR 0029); off, run ``atpazit purge``.
ATPAZIT_RETENTION_AUTO_PURGE = env_bool("ATPAZIT_RETENTION_AUTO_PURGE", default=False)
for _name in (
    "ATPAZIT_RETENTION_CASE_DAYS",
    "ATPAZIT_RETENTION_MESSAGES_DAYS",
    "ATPAZIT_RETENTION_NOTIFICATION_DAYS",
    "ATPAZIT_RETENTION_EMAIL_DAYS",
    "ATPAZIT_RETENTION_WEBHOOK_DAYS",
):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1 day")
if ATPAZIT_STATS_MIN_CELL < 1:
    raise ImproperlyConfigured("ATPAZIT_STATS_MIN_CELL must be at least 1")
if ATPAZIT_STATS_RECOUNT_MINUTES < 1:
    raise ImproperlyConfigured("ATPAZIT_STATS_RECOUNT_MINUTES must be at least 1")
if ATPAZIT_REFLECTION_DAYS < 30:
    raise ImproperlyConfigured(
        "ATPAZIT_REFLECTION_DAYS must be at least 30 (CoE Convention Art. 13)"
    )

LANGUAGE_CODE = "lv"
LANGUAGES = [("lv", _("Latvian")), ("en", _("English")), ("ru", _("Russian"))]
# Each app keeps its own catalogue (atpazit/<app>/locale), the project-wide one comes last.
# The order matters to makemessages: a source file's strings go to the first locale directory
# whose parent contains it, so the per-app ones must come before atpazit/locale.
LOCALE_PATHS = [
    *sorted(path for path in (BASE_DIR / "atpazit").glob("*/locale") if path.is_dir()),
    BASE_DIR / "atpazit" / "locale",
]
# One date format per language (lv/ru 06.12.2026, en the British 06/12/2026), in lib/formats.
FORMAT_MODULE_PATH = ["atpazit.lib.formats"]
TIME_ZONE = "Europe/Riga"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# Webhooks (ADR 0030) call only public https addresses. Development and tests need a receiver on
# this machine: there, and only if asked for, private and local addresses and plain http are
# allowed too. Production never allows them (a system check refuses to start).
ATPAZIT_WEBHOOKS_ALLOW_PRIVATE = not PRODUCTION and env_bool(
    "ATPAZIT_WEBHOOKS_ALLOW_PRIVATE", default=DEBUG
)

EMAIL_HOST = env_str("ATPAZIT_EMAIL_HOST", "127.0.0.1")
# Development without an SMTP server: e-mails (invitation links too) go to the development
# mailbox under var/dev-mailbox/, shown at /notifications/dev-mailbox/ (notifications/devmail.py);
# ATPAZIT_EMAIL_CONSOLE=true prints them on the worker's console instead. Production always
# sends over SMTP.
if PRODUCTION or env_str("ATPAZIT_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
elif env_bool("ATPAZIT_EMAIL_CONSOLE", default=False):
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = "atpazit.notifications.devmail.DevMailboxBackend"
EMAIL_PORT = env_int("ATPAZIT_EMAIL_PORT", 1025)
EMAIL_HOST_USER = env_str("ATPAZIT_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("ATPAZIT_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("ATPAZIT_EMAIL_TLS", default=False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("ATPAZIT_EMAIL_FROM", "atpazit@localhost")

# Attachments in referral threads (exchange/files.py): stored encrypted, never served inline.
# Uploads to a thread are held in memory only (no plaintext temporary file), within these limits.
ATPAZIT_ATTACHMENT_MAX_BYTES = env_int("ATPAZIT_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
ATPAZIT_ATTACHMENT_MESSAGE_MAX_BYTES = env_int(
    "ATPAZIT_ATTACHMENT_MESSAGE_MAX_BYTES", 25 * 1024 * 1024
)
ATPAZIT_ATTACHMENT_MAX_FILES = env_int("ATPAZIT_ATTACHMENT_MAX_FILES", 5)
# Codes from exchange.files.ATTACHMENT_TYPES; a deployment may narrow the list, not widen it.
ATPAZIT_ATTACHMENT_TYPES = env_list(
    "ATPAZIT_ATTACHMENT_TYPES", ["pdf", "png", "jpeg", "docx", "xlsx", "odt", "ods", "txt"]
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("ATPAZIT_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
