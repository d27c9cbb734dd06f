"""Django settings for Beian, read from the environment.

Every knob has a default so that `make run` works on a fresh machine:
SQLite in ./var, a secret key generated once and kept in ./var/secret_key.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("BEIAN_DATA_DIR", BASE_DIR / "var"))


def private_dir(path: Path) -> Path:
    """A folder only this account can enter (0700), created if missing."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def private_file(path: Path) -> Path:
    """A file only this account can read (0600), created empty if missing (the
    SQLite database: SQLite gives its -wal and -shm files the same mode)."""
    if not path.exists():
        private_dir(path.parent)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    return path


private_dir(DATA_DIR)


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


_GENERATED: set[str] = set()  # the secrets this process had to generate


def _secret_from_file(name: str, env: str, nbytes: int = 48) -> str:
    """A secret from the environment, else generated once and kept in DATA_DIR."""
    if os.environ.get(env):
        return os.environ[env]
    path = DATA_DIR / name
    if not path.exists():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process of the same start was first
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(nbytes))
            _GENERATED.add(name)
    return path.read_text().strip()


SECRET_KEY = _secret_from_file("secret_key", "BEIAN_SECRET_KEY")
# Key material for PII encryption at rest and keyed lookup hashes; kept apart
# from SECRET_KEY so that rotating sessions does not lose data. Generated on a
# fresh machine; the database records its fingerprint, and a process with
# another key refuses to start (beian/core/keys.py, docs/operations.md).
PII_KEY = _secret_from_file("pii_key", "BEIAN_PII_KEY")
PII_KEY_FILE = DATA_DIR / "pii_key"
PII_KEY_FROM_ENV = bool(os.environ.get("BEIAN_PII_KEY"))
PII_KEY_GENERATED = "pii_key" in _GENERATED

DEBUG = _env_bool("BEIAN_DEBUG", False)
ALLOWED_HOSTS = [
    h
    for h in os.environ.get("BEIAN_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h
]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("BEIAN_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "django_tasks_db",
    "beian.core",
    "beian.accounts",
    "beian.hosting",
    "beian.filings",
    "beian.rules",
    "beian.materials",
    "beian.review",
    "beian.authority",
    "beian.notify",
    "beian.registry",
    "beian.demo",
    # The project package itself, last: `beian serve` (beian/management/commands/).
    "beian",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "beian.core.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "beian.core.middleware.RefuseNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "beian.core.middleware.RequestIdMiddleware",
]

ROOT_URLCONF = "beian.urls"
WSGI_APPLICATION = "beian.wsgi.application"

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
                "beian.core.context_processors.calendar_warnings",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'beian.sqlite3'}"
# Persistent connections for web processes (issue 19: a new connection cost
# 2.5 ms a query on PostgreSQL): each thread keeps its connection this many
# seconds (0: one per request), checked for health before reuse. SQLite opens
# a file, which costs next to nothing: 0 unless set.
_SQLITE = DATABASE_URL.startswith("sqlite:")
DB_CONN_MAX_AGE = _env_int("BEIAN_DB_CONN_MAX_AGE", 0 if _SQLITE else 60)
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=DB_CONN_MAX_AGE, conn_health_checks=DB_CONN_MAX_AGE > 0
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        private_file(Path(DATABASES["default"]["NAME"]))
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ.get("BEIAN_TEST_DB") or None

# The cache holds the per-client counters of the public query's rate limit and
# the login throttle. `beian serve` is one process, so memory is enough; with
# several web processes set BEIAN_CACHE_URL=redis://host:6379/0 so that they
# share the counters.
CACHE_URL = os.environ.get("BEIAN_CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "beian",
        }
    }
elif CACHE_URL:
    raise ValueError(f"BEIAN_CACHE_URL must be a redis:// URL, not {CACHE_URL!r}")
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/accounts/login/"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "beian" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(os.environ.get("BEIAN_MEDIA_ROOT", DATA_DIR / "media"))
WHITENOISE_USE_FINDERS = True

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

EMAIL_BACKEND = os.environ.get("BEIAN_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
# Where the file backend (one-machine demo: BEIAN_EMAIL_BACKEND=...filebased.EmailBackend) puts mails.
# The mails hold one-time links: beian.notify.backends.mailfiles writes them 0600 in a 0700 folder.
EMAIL_FILE_PATH = os.environ.get("BEIAN_EMAIL_FILE_PATH", str(DATA_DIR / "mail"))
EMAIL_HOST = os.environ.get("BEIAN_EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = _env_int("BEIAN_EMAIL_PORT", 8025)
EMAIL_HOST_USER = os.environ.get("BEIAN_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("BEIAN_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("BEIAN_EMAIL_TLS", False)
EMAIL_TIMEOUT = _env_int("BEIAN_EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("BEIAN_FROM_EMAIL", "beian@localhost")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

# ---- transport and session security ---------------------------------------------
# Production is DEBUG off on a host name of its own (BEIAN_ALLOWED_HOSTS beyond
# the loopback defaults): then cookies are Secure, plain HTTP is redirected and
# HSTS is sent, unless the environment says otherwise. `make run` (DEBUG off,
# plain HTTP on 127.0.0.1) keeps working because its hosts are the defaults.
_LOCAL_HOSTS = {"127.0.0.1", "localhost", "testserver", "::1", "[::1]"}
PRODUCTION = not DEBUG and not set(ALLOWED_HOSTS) <= _LOCAL_HOSTS
SESSION_COOKIE_SECURE = _env_bool("BEIAN_SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = _env_bool("BEIAN_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = _env_int("BEIAN_HSTS_SECONDS", 365 * 24 * 3600 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("BEIAN_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = _env_bool("BEIAN_HSTS_PRELOAD", PRODUCTION)
# Behind a TLS-terminating proxy (nginx) that sets X-Forwarded-Proto.
if _env_bool("BEIAN_BEHIND_PROXY", PRODUCTION):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The edge asks the gate over plain HTTP on loopback (nginx auth_request): no redirect.
# Load balancers probe /healthz and /readyz over plain HTTP too.
SECURE_REDIRECT_EXEMPT = [r"^gate/(check|blocked)$", r"^(healthz|readyz)$"]
# A session lasts a working day, whatever the activity, then asks again.
SESSION_COOKIE_AGE = _env_int("BEIAN_SESSION_SECONDS", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = _env_bool("BEIAN_SESSION_BROWSER_CLOSE", True)
# The Content-Security-Policy of every page (beian.core.csp); files keep their sandbox.
CONTENT_SECURITY_POLICY = os.environ.get(
    "BEIAN_CSP",
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
)

# ---- demo mode and the published default secrets ------------------------------
# Demo mode (`make run`, the tests, one machine on loopback) may use the secrets
# published in this file so that the simulator works out of the box. Outside it
# (production mode, or BEIAN_DEMO=0) a published value refuses to start, and an
# unset one is empty: the feature that needs it stays off until it is set.
DEMO = _env_bool("BEIAN_DEMO", not PRODUCTION)


def _interface_secret(env: str, demo_value: str) -> str:
    value = os.environ.get(env)
    if value is None:
        return demo_value if DEMO else ""
    if value == demo_value and not DEMO:
        raise ImproperlyConfigured(
            f"{env} is the published demo value; set a secret of your own "
            "(or BEIAN_DEMO=1 for a demonstration)."
        )
    return value


# Every deadline and limit of the product, from the environment.
# Ports of the two processes on one machine; every address one process uses to
# reach the other is derived from them unless given whole (BEIAN_*_URL).
_PORT = _env_int("BEIAN_PORT", 8000)
_SIM_PORT = _env_int("BEIAN_AUTHORITY_SIM_PORT", 8100)
_DNS_PORT = _env_int("BEIAN_DNS_PORT", 8053)
_SERVE_DNS = _env_bool("BEIAN_SERVE_DNS", False)

BEIAN = {
    # Working-day deadlines.
    "INITIAL_REVIEW_WORKING_DAYS": _env_int("BEIAN_INITIAL_REVIEW_WORKING_DAYS", 1),
    "SUBMISSION_WORKING_DAYS": _env_int("BEIAN_SUBMISSION_WORKING_DAYS", 1),
    "AUTHORITY_REVIEW_WORKING_DAYS": _env_int("BEIAN_AUTHORITY_REVIEW_WORKING_DAYS", 20),
    "BACKDROP_DELIVERY_WORKING_DAYS": _env_int("BEIAN_BACKDROP_DELIVERY_WORKING_DAYS", 3),
    # Work the administration hands down (docs/decisions/0021): a change notice (XGTZ)
    # and a verification task or check result (HSRW, HCJG). Interface 3.0 names no time
    # limit; provinces set theirs (commonly 5 to 10 working days): set yours here.
    "AUTHORITY_NOTICE_WORKING_DAYS": _env_int("BEIAN_AUTHORITY_NOTICE_WORKING_DAYS", 5),
    "AUTHORITY_VERIFICATION_WORKING_DAYS": _env_int("BEIAN_AUTHORITY_VERIFICATION_WORKING_DAYS", 5),
    "SMS_CODE_HOURS": _env_int("BEIAN_SMS_CODE_HOURS", 24),
    "ORDER_EXPIRY_DAYS": _env_int("BEIAN_ORDER_EXPIRY_DAYS", 45),
    # How long a process trusts its copy of the calendar overrides.
    "CALENDAR_CACHE_SECONDS": _env_int("BEIAN_CALENDAR_CACHE_SECONDS", 300),
    # Hosting limits.
    "MAX_CODES_PER_SERVER": _env_int("BEIAN_MAX_CODES_PER_SERVER", 5),
    "MIN_SUBSCRIPTION_MONTHS": _env_int("BEIAN_MIN_SUBSCRIPTION_MONTHS", 3),
    # Originals by post: copies of each document (per-province overrides in rules data).
    "ORIGINAL_COPIES": _env_int("BEIAN_ORIGINAL_COPIES", 3),
    # Failed logins in 15 minutes before a lock-out: of one account from any
    # address, and from one address for any account (5 per account and address).
    "LOGIN_ACCOUNT_MAX_FAILURES": _env_int("BEIAN_LOGIN_ACCOUNT_MAX_FAILURES", 20),
    "LOGIN_IP_MAX_FAILURES": _env_int("BEIAN_LOGIN_IP_MAX_FAILURES", 50),
    # An API token's "last used" stamp is written at most this often (a request is
    # not a write; a read-only database still answers reads).
    "API_TOKEN_TOUCH_SECONDS": _env_int("BEIAN_API_TOKEN_TOUCH_SECONDS", 300),
    # Uploads.
    "MAX_UPLOAD_BYTES": _env_int("BEIAN_MAX_UPLOAD_BYTES", 5 * 1024 * 1024),
    # Pixels of an uploaded image, judged from its header before decoding (a
    # 5 MB photo is at most ~25 MP; 4 bytes a pixel bound the memory).
    "MAX_IMAGE_PIXELS": _env_int("BEIAN_MAX_IMAGE_PIXELS", 25_000_000),
    "MIN_PHOTO_WIDTH": _env_int("BEIAN_MIN_PHOTO_WIDTH", 800),
    "MIN_PHOTO_HEIGHT": _env_int("BEIAN_MIN_PHOTO_HEIGHT", 600),
    # DNS resolver used by the "does it still resolve?" check ("" = system; host or
    # host:port). With BEIAN_SERVE_DNS (make run) `beian serve` starts the demo's own
    # responder (`beian dns-responder`, on BEIAN_DNS_PORT) and the check asks it.
    "DNS_RESOLVER": os.environ.get(
        "BEIAN_DNS_RESOLVER", f"127.0.0.1:{_DNS_PORT}" if _SERVE_DNS else ""
    ),
    "DNS_PORT": _DNS_PORT,
    # The zone the demo's responder serves, written by `beian demo`.
    "DNS_ZONE_FILE": os.environ.get("BEIAN_DNS_ZONE_FILE", str(DATA_DIR / "demo-zone.json")),
    # Printed on the forms as the hosting provider.
    "PROVIDER_NAME": os.environ.get("BEIAN_PROVIDER_NAME", "Beian 演示云 / Beian Demo Cloud"),
    # Where applicants mail their signed originals (materials page, verification form,
    # the e-mail that asks for them).
    "ORIGINALS_RECIPIENT": os.environ.get(
        "BEIAN_ORIGINALS_RECIPIENT", "Beian 演示云 备案审核组（收）"
    ),
    "ORIGINALS_ADDRESS": os.environ.get(
        "BEIAN_ORIGINALS_ADDRESS", "江苏省苏州市姑苏区演示路1号 备案中心 邮编215000"
    ),
    "ORIGINALS_PHONE": os.environ.get("BEIAN_ORIGINALS_PHONE", "0512-60000000"),
    # Where `beian serve` listens, and how the other processes reach it.
    "HOST": os.environ.get("BEIAN_HOST", "127.0.0.1"),
    "PORT": _PORT,
    # The provincial administration (MIIT enterprise interface 3.0); the simulator by default.
    "AUTHORITY_URL": os.environ.get("BEIAN_AUTHORITY_URL", f"http://127.0.0.1:{_SIM_PORT}"),
    "AUTHORITY_ISP_ID": os.environ.get("BEIAN_AUTHORITY_ISP_ID", "1001"),
    "AUTHORITY_USER": os.environ.get("BEIAN_AUTHORITY_USER", "isp1001"),
    "AUTHORITY_PASSWORD": _interface_secret("BEIAN_AUTHORITY_PASSWORD", "beian-demo-password"),
    "AUTHORITY_AES_KEY": _interface_secret("BEIAN_AUTHORITY_AES_KEY", "0102030405060708"),
    "AUTHORITY_AES_IV": _interface_secret("BEIAN_AUTHORITY_AES_IV", "0102030405060708"),
    "AUTHORITY_TIMEOUT_SECONDS": _env_int("BEIAN_AUTHORITY_TIMEOUT_SECONDS", 15),
    "AUTHORITY_RETRIES": _env_int("BEIAN_AUTHORITY_RETRIES", 3),
    # A downloaded result that could not be applied is set aside and retried after
    # BASE seconds, doubling each time up to MAX (an operator may retry it at once).
    "AUTHORITY_SET_ASIDE_RETRY_BASE_SECONDS": _env_int(
        "BEIAN_AUTHORITY_SET_ASIDE_RETRY_BASE_SECONDS", 120
    ),
    "AUTHORITY_SET_ASIDE_RETRY_MAX_SECONDS": _env_int(
        "BEIAN_AUTHORITY_SET_ASIDE_RETRY_MAX_SECONDS", 6 * 3600
    ),
    "AUTHORITY_SIM_PORT": _SIM_PORT,
    # MIIT's SMS verification page the applicant is sent to (the simulator's by default).
    "AUTHORITY_SMS_URL": os.environ.get(
        "BEIAN_AUTHORITY_SMS_URL", f"http://127.0.0.1:{_SIM_PORT}/sms/"
    ),
    # The administration's own console, linked from the authority user's page (the
    # simulator's in one-machine mode).
    "AUTHORITY_CONSOLE_URL": os.environ.get(
        "BEIAN_AUTHORITY_CONSOLE_URL", f"http://127.0.0.1:{_SIM_PORT}/console/"
    ),
    # Where the simulator hands its SMS codes to Beian (one-machine mode), and the
    # secret both sign the relayed codes with (not the interface password); empty:
    # the relay is off.
    "AUTHORITY_SIM_SMS_RELAY_URL": os.environ.get(
        "BEIAN_AUTHORITY_SIM_SMS_RELAY_URL",
        f"http://127.0.0.1:{_PORT}/api/v1/authority/sms-relay",
    ),
    # Where the simulator hands the filing passwords it issues (备案密码) to Beian.
    "AUTHORITY_SIM_PASSWORD_RELAY_URL": os.environ.get(
        "BEIAN_AUTHORITY_SIM_PASSWORD_RELAY_URL",
        f"http://127.0.0.1:{_PORT}/api/v1/authority/filing-password-relay",
    ),
    # Filing password resets (忘记备案密码) one account may ask for a subject in 24 hours.
    "FILING_PASSWORD_RESETS_PER_DAY": _env_int("BEIAN_FILING_PASSWORD_RESETS_PER_DAY", 3),
    "AUTHORITY_SMS_RELAY_SECRET": _interface_secret(
        "BEIAN_AUTHORITY_SMS_RELAY_SECRET", "beian-demo-relay-secret"
    ),
    # Digits of the MIIT SMS verification code (the relay accepts nothing else).
    "SMS_CODE_DIGITS": _env_int("BEIAN_SMS_CODE_DIGITS", 6),
    # Ask the administration whether a subject or domain is filed elsewhere when an
    # application starts (isp_querybeianstatus). On for `make run` (the simulator runs).
    # True means the MIIT interface; a dotted path names another adapter
    # (beian/filings/adapters/lookup.py).
    "AUTHORITY_LOOKUP": _env_bool("BEIAN_AUTHORITY_LOOKUP", False),
    # Poll the administration's downloads and settle unanswered uploads (worker jobs).
    "AUTHORITY_SYNC": _env_bool("BEIAN_AUTHORITY_SYNC", False),
    # How the back office submits: "local" (fires the workflow only), "miit" (the SOAP
    # client to AUTHORITY_URL; `make run` uses it with the simulator), or a dotted path.
    "AUTHORITY_ADAPTER": os.environ.get("BEIAN_AUTHORITY_ADAPTER", "local"),
    "DNS_TIMEOUT_SECONDS": float(os.environ.get("BEIAN_DNS_TIMEOUT_SECONDS", "3")),
    # Extra processes `beian serve` starts beside the web server and the worker.
    "SERVE_EXTRA_COMMANDS": (
        [
            [
                sys.executable,
                "-m",
                "beian",
                "authority-sim",
                "--port",
                str(_SIM_PORT),
            ]
        ]
        if _env_bool("BEIAN_SERVE_SIMULATOR", False)
        else []
    )
    + (
        [[sys.executable, "-m", "beian", "dns-responder", "--port", str(_DNS_PORT)]]
        if _SERVE_DNS
        else []
    ),
    # `beian serve` (docs/operations.md): a child that exits starts again after a
    # back-off doubling from BASE to MAX seconds, reset once it stayed up STABLE
    # seconds; on Ctrl-C/SIGTERM children get GRACE seconds to stop, then SIGKILL.
    "SERVE_RESTART_BASE_SECONDS": float(os.environ.get("BEIAN_SERVE_RESTART_BASE_SECONDS", "1")),
    "SERVE_RESTART_MAX_SECONDS": float(os.environ.get("BEIAN_SERVE_RESTART_MAX_SECONDS", "30")),
    "SERVE_STABLE_SECONDS": float(os.environ.get("BEIAN_SERVE_STABLE_SECONDS", "60")),
    "SERVE_STOP_GRACE_SECONDS": float(os.environ.get("BEIAN_SERVE_STOP_GRACE_SECONDS", "15")),
    # SMS: "beian.notify.backends.sms.RecordingBackend" keeps them for the demo to show.
    "SMS_BACKEND": os.environ.get(
        "BEIAN_SMS_BACKEND", "beian.notify.backends.sms.RecordingBackend"
    ),
    # The gate's change feed (docs/gate.md, "The change feed"): a Redis Streams
    # address, e.g. redis://127.0.0.1:6379/0; empty: no feed. Each access
    # change is published there once committed; `beian edge follow` applies it.
    "GATE_FEED_URL": os.environ.get("BEIAN_GATE_FEED_URL", ""),
    "GATE_FEED_KEY": os.environ.get("BEIAN_GATE_FEED_KEY", "beian:gate"),
    # Deltas the stream keeps (approximately); a node further behind reloads the full table.
    "GATE_FEED_MAXLEN": _env_int("BEIAN_GATE_FEED_MAXLEN", 1_000_000),
    # The gate's snapshot (docs/gate.md, mode 2): one memory-mapped file of name
    # hashes per version, shared by the machine's processes; empty: a set per process.
    "GATE_SNAPSHOT_DIR": os.environ.get("BEIAN_GATE_SNAPSHOT_DIR", str(DATA_DIR / "gate")),
    # With the feed: how often a request reads its new entries, and how many
    # changed names the in-process overlay holds before a new file is built.
    "GATE_FEED_POLL_SECONDS": float(os.environ.get("BEIAN_GATE_FEED_POLL_SECONDS", "1")),
    "GATE_SNAPSHOT_OVERLAY_MAX": _env_int("BEIAN_GATE_SNAPSHOT_OVERLAY_MAX", 100_000),
    # `beian gate serve`: /gate/check alone, for nginx's auth_request
    # (docs/gate.md, mode 2), on its own address; workers = processes (one per core).
    "GATE_HOST": os.environ.get("BEIAN_GATE_HOST", "127.0.0.1"),
    "GATE_PORT": _env_int("BEIAN_GATE_PORT", _PORT + 1),
    "GATE_WORKERS": _env_int("BEIAN_GATE_WORKERS", 1),
    # Periodic jobs (docs/notifications.md, "Periodic jobs"): each worker runs up to
    # WORKER_JOB_THREADS due jobs at once, each in its own thread under its own lease
    # of JOB_LEASE_SECONDS, renewed while the job runs; a worker that dies frees its
    # jobs within that time.
    "WORKER_JOB_THREADS": _env_int("BEIAN_WORKER_JOB_THREADS", 4),
    "JOB_LEASE_SECONDS": _env_int("BEIAN_JOB_LEASE_SECONDS", 30),
    # The display check (docs/gate.md, "Public query and display check"): pages
    # fetched at once, seconds per fetch, websites per run.
    "DISPLAY_CHECK_CONCURRENCY": _env_int("BEIAN_DISPLAY_CHECK_CONCURRENCY", 16),
    "DISPLAY_CHECK_TIMEOUT": _env_int("BEIAN_DISPLAY_CHECK_TIMEOUT", 10),
    "DISPLAY_CHECK_BATCH": _env_int("BEIAN_DISPLAY_CHECK_BATCH", 200),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_pii": {"()": "beian.core.masking.MaskPiiLogFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["mask_pii"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("BEIAN_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
