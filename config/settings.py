"""OpenDOST settings.

One complete settings module that runs anywhere: SQLite under `var/` by default, PostgreSQL when
`DATABASE_URL` says so. Production behaviour comes from environment variables, never from a second
settings file (house style 3.5). `docs/deployment.md` lists every variable.
"""

import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("OPENDOST_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

# GENERAL ------------------------------------------------------------------------------------------
DEBUG = env_bool("OPENDOST_DEBUG", False)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    # Local installs keep a generated key in var/ so sessions survive restarts.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# APPS ---------------------------------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "opendost.accounts.apps.OpenDostAdminConfig",  # django.contrib.admin with our admin site
]
THIRD_PARTY_APPS = [
    "django_tasks_db",
    "django_htmx",
    "django_filters",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ninja",  # serves the API docs' Swagger UI from static files instead of a CDN (CSP, offline)
]
LOCAL_APPS = [
    # kernel (depends on nothing below it)
    "opendost.common",
    "opendost.geography",
    "opendost.classifications",
    "opendost.departments",
    "opendost.search",
    "opendost.subjects",
    "opendost.accounts",
    "opendost.notifications",
    "opendost.calendars",
    "opendost.numbering",
    "opendost.documents",
    "opendost.imports",
    "opendost.audit",
    "opendost.workflow",
    "opendost.dossiers",  # the one-stop dossier engine (kernel: procedures, clocks, slips)
    "opendost.councils",  # councils, members, conflicts, scoring and voting rules (kernel)
    "opendost.oaipmh",  # OAI-PMH 2.0 provider; domain apps register their record sources
    # domain apps
    "opendost.projects",
    "opendost.radiation",
    "opendost.marketplace",  # technology exchange: listings, matching, brokerage, fairs
    "opendost.planning",  # reads every other domain app through its selectors
    # web, portal and API
    "opendost.web",
    "opendost.portal",
    "opendost.api",
    "opendost.demo",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "opendost.audit.middleware.AuditMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "opendost.accounts.middleware.AbsoluteSessionTimeoutMiddleware",
    "opendost.accounts.middleware.StaffTwoFactorMiddleware",
    "opendost.common.middleware.NoStoreForPrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "opendost" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "opendost.web.context_processors.navigation",
                "opendost.notifications.context_processors.unread_count",
            ],
        },
    }
]

# DATABASE -----------------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'opendost.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer commits; IMMEDIATE takes the write lock at BEGIN so
    # two writers queue on busy_timeout instead of failing with "database is locked" mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 10,
    }
    DATABASES["default"]["TEST"] = {"NAME": env_str("OPENDOST_TEST_SQLITE", "") or None}
else:
    INSTALLED_APPS.insert(0, "django.contrib.postgres")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# TASKS --------------------------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# AUTH ---------------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "opendost.accounts.validators.ContextWordsValidator"},
    {"NAME": "opendost.accounts.validators.MaximumLengthValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "portal:home"

# Login throttling (S-06): lock the (username, IP) pair after 5 failures for 15 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Two-factor login (S-10): when on, staff must confirm a TOTP code after the password.
OPENDOST_STAFF_2FA_REQUIRED = env_bool("OPENDOST_STAFF_2FA_REQUIRED", False)
OTP_TOTP_ISSUER = "OpenDOST"

# Sessions (S-08): idle timeout via SESSION_COOKIE_AGE refreshed on each request.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 8 * 3600)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
HTTPS = env_bool("OPENDOST_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY") else None
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (Django 6 built-in): no inline scripts anywhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# I18N ---------------------------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "opendost_language"
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["opendost.formats"]

# STATIC AND MEDIA ---------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "opendost" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
WHITENOISE_USE_FINDERS = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# EMAIL --------------------------------------------------------------------------------------------
MAILERS = {
    "default": {
        "BACKEND": env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"),
        "OPTIONS": {
            k: v
            for k, v in {
                "host": env_str("EMAIL_HOST"),
                "port": env_int("EMAIL_PORT", 587),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
            }.items()
            if env_str("EMAIL_HOST")
        },
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "OpenDOST <no-reply@localhost>")

# LOGGING ------------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# OPENDOST -----------------------------------------------------------------------------------------
# Demo data (accounts with a shared password) may only be loaded on a development install.
OPENDOST_DEMO_ALLOWED = env_bool("OPENDOST_DEMO_ALLOWED", DEBUG)
OPENDOST_PAGE_SIZE = 25
OPENDOST_EXPORT_MAX_ROWS = env_int("OPENDOST_EXPORT_MAX_ROWS", 200_000)
# One-stop dossiers: an online dossier received at or after this time counts from the next working day
# (NĐ 45/2020/NĐ-CP; docs/adr/0016-dossier-engine.md).
OPENDOST_OFFICE_CLOSES_AT = env_str("OPENDOST_OFFICE_CLOSES_AT", "17:00")

# OAI-PMH (opendost/oaipmh): the repository's contact; defaults to DEFAULT_FROM_EMAIL's address.
OAI_ADMIN_EMAILS = env_list("OAI_ADMIN_EMAILS", [])

# Notifications outbox (docs/adr/0011-outbox.md): adapters per channel and the sending lease.
OPENDOST_EMAIL_ADAPTER = env_str("OPENDOST_EMAIL_ADAPTER", "opendost.notifications.adapters.EmailAdapter")
OPENDOST_SMS_ADAPTER = env_str("OPENDOST_SMS_ADAPTER", "opendost.notifications.adapters.LogSmsAdapter")
OPENDOST_OUTBOX_LEASE_SECONDS = env_int("OPENDOST_OUTBOX_LEASE_SECONDS", 600)
OPENDOST_CALENDAR_RECHECK_SECONDS = env_int("OPENDOST_CALENDAR_RECHECK_SECONDS", 30)
