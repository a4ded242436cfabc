"""Django settings for Sukarela.

Everything that differs between a laptop demo, CI and production comes from the
environment, so one settings module serves all three:

- SUKARELA_DATA_DIR   where the SQLite database, static files and uploads live
                      (default ./var, which git ignores)
- DATABASE_URL        e.g. postgres://user:pass@host/db; default SQLite in the data dir
- SUKARELA_DEPLOY=1   production hardening (HTTPS only, secure cookies, HSTS)
- SUKARELA_SECRET_KEY required when SUKARELA_DEPLOY=1
- SUKARELA_ALLOWED_HOSTS comma-separated host names
- SUKARELA_DEBUG=1    Django debug pages (never in production)
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
import xstatic.pkg.leaflet
from django.core.exceptions import ImproperlyConfigured


def _flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("SUKARELA_DATA_DIR", Path.cwd() / "var")).resolve()
DEPLOY = _flag("SUKARELA_DEPLOY")
DEBUG = _flag("SUKARELA_DEBUG") and not DEPLOY


def _secret_key() -> str:
    key = os.environ.get("SUKARELA_SECRET_KEY")
    if key:
        return key
    if DEPLOY:
        raise ImproperlyConfigured("SUKARELA_SECRET_KEY must be set when SUKARELA_DEPLOY=1")
    # A demo or development machine keeps its own random key, so sessions
    # survive restarts without a key ever being committed.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("SUKARELA_ALLOWED_HOSTS", "" if DEPLOY else "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "axes",
    "django_htmx",
    # Listed so /api/docs serves Swagger UI from its own static files, not from a CDN.
    "ninja",
    "js_lib_htmx",
    "sukarela.regions",
    "sukarela.core",
    "sukarela.recruitment",
    "sukarela.training",
    "sukarela.groups",
    "sukarela.assignments",
    "sukarela.mentoring",
    "sukarela.partners",
    "sukarela.alumni",
    "sukarela.monitoring",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "sukarela.core.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sukarela.core.middleware.IndonesianFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "sukarela.core.sessions.AuthenticationMiddleware",  # Django's, with the session's joined user
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Axes must come last: it turns a locked-out login into its own response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sukarela.urls"
# Widgets (the region picker) render with the project's templates.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "sukarela.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sukarela.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'sukarela.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Many readers and one writer; wait for a lock instead of failing at once.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests: a file, not shared-cache memory, so a thread with its own connection (the import
    # runner behind the live server) gets the same busy-waiting locks as in production. One file
    # per process, so runs side by side do not clobber each other's database.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend; the signed-in user comes from the session's own query (core/sessions.py).
    "sukarela.core.sessions.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

# Login throttling: five failures for one username from one address lock that
# pair for 15 minutes; the lock-out page says so with HTTP 429.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "core/lockout.html"
AXES_RESET_ON_SUCCESS = True

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# Leaflet for the assignment map, from the PyPI package xstatic-leaflet (served by WhiteNoise as /static/leaflet/).
# Cytoscape.js for the network page, from the npm registry: `make install` runs `npm ci` from the committed
# package-lock.json into the checkout's node_modules; only the library's dist folder is served
# (/static/vendor/cytoscape/), never the rest of node_modules. A machine built without it serves the
# network page without the graph (core.web.optional_static), never an error.
NODE_MODULES = PACKAGE_DIR.parent.parent / "node_modules"
STATICFILES_DIRS = [PACKAGE_DIR / "static", ("leaflet", xstatic.pkg.leaflet.BASE_DIR),
                    ("vendor/cytoscape", NODE_MODULES / "cytoscape" / "dist"),
                    # Chart.js for the monitoring dashboards (npm, the same way; pages keep their tables without it).
                    ("vendor/chartjs", NODE_MODULES / "chart.js" / "dist")]
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not _flag("SUKARELA_PLAIN_STATIC")
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# The field sync's hot reads as prepared statements on PostgreSQL (core.batch); 0 behind a pooler
# in transaction mode, which cannot keep them.
SUKARELA_DB_PREPARE = _flag("SUKARELA_DB_PREPARE", default=True)

SESSION_ENGINE = "sukarela.core.sessions"  # the database store on core_session, read with its user by one query
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 12
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if DEPLOY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SUKARELA_LOG_LEVEL", "WARNING")},
}

# Page size of every list, UI and API alike.
SUKARELA_PAGE_SIZE = 50
# At most this many rows in a list's XLSX/CSV download (core.exporting); a longer list is refused
# with a message to narrow the filters, never cut short.
SUKARELA_EXPORT_MAX_ROWS = int(os.environ.get("SUKARELA_EXPORT_MAX_ROWS", "100000"))

# Import progress is written by one server process and read by another: a file cache
# is shared by all of them without another service to run.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                      "LOCATION": str(DATA_DIR / "cache")}}

# Mail to applicants: an SMTP server when SUKARELA_EMAIL_HOST is set, else files in the data folder.
if os.environ.get("SUKARELA_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["SUKARELA_EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("SUKARELA_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("SUKARELA_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("SUKARELA_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = _flag("SUKARELA_EMAIL_TLS") or EMAIL_PORT == 587
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("SUKARELA_EMAIL_FROM", "Sukarela <noreply@sukarela.invalid>")
# Links in e-mails (status page, account activation) start with this.
SUKARELA_BASE_URL = os.environ.get("SUKARELA_BASE_URL", "http://127.0.0.1:8000")
# POSTs per hour from one address to the public application and link-request forms.
SUKARELA_PUBLIC_POSTS_PER_HOUR = int(os.environ.get("SUKARELA_PUBLIC_POSTS_PER_HOUR", "30"))
# Days an alumni tracer survey's private link stays valid after it is sent (or sent again).
SUKARELA_SURVEY_DAYS = 60
# Each applicant document (PDF/JPG/PNG) at most this size.
SUKARELA_DOCUMENT_MAX_BYTES = 2 * 1024 * 1024

# The field app (mentoring): photo limits, upload part size, and when the review flags a visit,
# a group or a TKS. District offices may tune the flags; the phone reads the limits at start.
SUKARELA_FIELD = {
    "max_photos": 5,
    "max_photo_bytes": 1_500_000,   # after the phone's resize to 1280 px JPEG (usually 150-400 KB)
    "chunk_bytes": 256 * 1024,
    "far_km": 2.0,                  # a visit farther than this (plus the GPS accuracy) from the group's point
    "group_quiet_weeks": 4,         # a group with no visit for this long
    "tks_quiet_days": 14,           # a TKS with no visit for this long
    "max_past_days": 90,            # a visit older than this is refused (a typo in the year, usually)
}

# Partner agreements (MoU/PKS) ending within this many days are flagged on the partner list, the
# expiring page and `sukarela agreements-expiring`, so an office renews them in time.
SUKARELA_AGREEMENT_WARN_DAYS = 90
# Each agreement document (PDF) at most this size.
SUKARELA_AGREEMENT_MAX_BYTES = 5 * 1024 * 1024

# Open data (/data-terbuka/, /api/open/provinces): a count of people or groups under this is
# published as "<10" (engines.disclosure); requests per hour from one address to the page, CSV and API.
SUKARELA_OPEN_DATA_MIN_COUNT = 10
SUKARELA_OPEN_DATA_PER_HOUR = int(os.environ.get("SUKARELA_OPEN_DATA_PER_HOUR", "600"))

# The monitoring map's background tiles, a Leaflet URL template such as
# "https://tile.example.go.id/{z}/{x}/{y}.png" (with its attribution text). Empty (the default): no
# tiles; the map draws its regions and points on a plain background and needs no network.
SUKARELA_MAP_TILES = os.environ.get("SUKARELA_MAP_TILES", "")
SUKARELA_MAP_ATTRIBUTION = os.environ.get("SUKARELA_MAP_ATTRIBUTION", "")

# The scheduler `sukarela serve` starts beside the web server (`sukarela scheduler`): it refreshes
# the monitoring aggregates every refresh_minutes and builds last month's reports from reports_hour
# (local time) on the 1st; a failed monthly run is tried again after retry_minutes. Its first round
# waits first_run_after_seconds so the server comes up first.
SUKARELA_SCHEDULE = {
    "refresh_minutes": int(os.environ.get("SUKARELA_REFRESH_MINUTES", "15")),
    "reports_hour": 2,
    "retry_minutes": 60,
    "first_run_after_seconds": 60,
}
