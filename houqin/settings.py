"""Houqin settings: one module, configured by environment variables (see .env.example)."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    """A string from NAME, or from the file named by NAME_FILE (for secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


VAR_DIR = Path(env_str("HOUQIN_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _generated_secret_key() -> str:
    """Read var/secret_key, creating it once with a random key on first start."""
    path = VAR_DIR / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_urlsafe(50))
    return path.read_text(encoding="utf-8").strip()


DEBUG = env_bool("HOUQIN_DEBUG")
SECRET_KEY = env_str("HOUQIN_SECRET_KEY") or _generated_secret_key()
if not DEBUG and len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("HOUQIN_SECRET_KEY must be at least 32 characters.")

ALLOWED_HOSTS = env_list("HOUQIN_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("HOUQIN_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "treebeard",
    "houqin.common",
    "houqin.org",
    "houqin.places",
    "houqin.standards",
    "houqin.checklists",
    "houqin.findings",
    "houqin.appraisal",
    "houqin.accounts",  # last: its post_migrate grants the permissions of every app to roles
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "houqin.accounts.middleware.OTPMiddleware",  # django-otp's, its read compiled once
    "django.contrib.messages.middleware.MessageMiddleware",
    "houqin.accounts.middleware.SessionPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "houqin.common.context.RequestContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "houqin.urls"
WSGI_APPLICATION = "houqin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "houqin" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "houqin.common.context_processors.shell",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'houqin.sqlite3'}"),
        conn_max_age=env_int("HOUQIN_DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "houqin.accounts.backends.LoginNameBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "houqin.accounts.validators.PolicyPasswordValidator"},
    {"NAME": "houqin.accounts.validators.CommonPasswordRefused"},
    {"NAME": "houqin.accounts.validators.PasswordHistoryValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AXES_FAILURE_LIMIT = "houqin.accounts.policy.axes_failure_limit"
AXES_COOLOFF_TIME = "houqin.accounts.policy.axes_cool_off"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "houqin.accounts.views.auth.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
AXES_USERNAME_CALLABLE = "houqin.accounts.policy.axes_username"
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

OTP_TOTP_ISSUER = "Houqin"

SESSION_ENGINE = "houqin.accounts.sessions"  # Django's db sessions, the read compiled once
SESSION_COOKIE_AGE = 8 * 3600
SESSION_ABSOLUTE_AGE = timedelta(hours=8)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
HOUQIN_HTTPS = env_bool("HOUQIN_HTTPS")
SESSION_COOKIE_SECURE = HOUQIN_HTTPS
CSRF_COOKIE_SECURE = HOUQIN_HTTPS
SESSION_COOKIE_NAME = "__Host-houqin_session" if HOUQIN_HTTPS else "houqin_session"
CSRF_COOKIE_NAME = "__Host-houqin_csrf" if HOUQIN_HTTPS else "houqin_csrf"
SECURE_SSL_REDIRECT = HOUQIN_HTTPS and env_bool("HOUQIN_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if HOUQIN_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HOUQIN_HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HOUQIN_HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "houqin" / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": VAR_DIR / "media"},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

TASKS = {"default": {"BACKEND": env_str("HOUQIN_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "houqin.accounts.api_auth.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "houqin.common.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "houqin.common.api.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Houqin API",
    "DESCRIPTION": "后勤标准化运营平台接口",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # the appraisal subjects: of schemes and scores, and of the ledger (other labels)
    "ENUM_NAME_OVERRIDES": {
        "AppraisalSubjectKindEnum": "houqin.appraisal.models.schemes.SubjectKind",
        "LedgerSubjectKindEnum": "houqin.appraisal.models.ledger.LedgerSubject",
    },
}

LOG_DIR = VAR_DIR / "log"
LOG_DIR.mkdir(parents=True, exist_ok=True)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "file": {
            "class": "logging.handlers.RotatingFileHandler",
            "filename": LOG_DIR / "houqin.log",
            "maxBytes": 10 * 1024 * 1024,
            "backupCount": 5,
            "formatter": "plain",
        },
    },
    "root": {"handlers": ["console", "file"], "level": env_str("HOUQIN_LOG_LEVEL", "WARNING")},
}

# Attachments: the largest file a person may upload, in MB.
EMAIL_BACKEND = env_str("HOUQIN_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("HOUQIN_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("HOUQIN_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("HOUQIN_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("HOUQIN_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("HOUQIN_EMAIL_TLS")
EMAIL_USE_SSL = env_bool("HOUQIN_EMAIL_SSL")
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("HOUQIN_EMAIL_FROM", "houqin@localhost")

HOUQIN_WEBHOOK_HOSTS = env_list("HOUQIN_WEBHOOK_HOSTS", "qyapi.weixin.qq.com,oapi.dingtalk.com")
HOUQIN_UPLOAD_MAX_MB = env_int("HOUQIN_UPLOAD_MAX_MB", 20)

# An intranet host is never on the browsers' HSTS preload list.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
