"""Dateline's settings: read from the environment here, and only here (see docs/configuration.md)."""

import os
import secrets
import shutil
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


def env_flag(name, default=False):
    value = os.environ.get(name, "1" if default else "0").strip().lower()
    if value not in {"0", "1", "true", "false", "yes", "no", ""}:
        raise ImproperlyConfigured(f"{name} must be 0 or 1, not {value!r}")
    return value in {"1", "true", "yes"}


def env_list(name, default):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def read_or_create_secret_key(path):
    """The key made for this installation on its first start, kept under var/."""
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as f:
            f.write(key)
        return key


PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("DATELINE_VAR", PACKAGE_DIR.parent / "var")).resolve()

DEBUG = env_flag("DEBUG")
HTTPS = env_flag("HTTPS")
SECRET_KEY = os.environ.get("SECRET_KEY") or read_or_create_secret_key(VAR_DIR / "secret_key")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
# Absolute URLs (canonical links, feeds, sitemaps, the API) use SITE_URL when set, else the request's host.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
SITE_NAME = os.environ.get("SITE_NAME", "Dateline")
# Outgoing mail (the desk's notices now; newsletters later): SMTP when EMAIL_HOST is set, else nothing is mailed.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsroom@localhost")

INSTALLED_APPS = [
    "dateline.newsroom.apps.NewsroomAdminConfig",  # django.contrib.admin with the newsroom's admin site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "captcha",
    "ninja",
    "django_prose_editor",
    "django_tasks",
    "dateline.ops.apps.JobsConfig",  # django_tasks_db: the queue of background jobs (ops.jobs)
    "dateline",
    "dateline.demo",
    "dateline.transfer",
    "dateline.pagecache",
    "dateline.webhooks",
    "dateline.api",
    "dateline.newsroom",
    "dateline.search",
    "dateline.comments",
    "dateline.articles",
    "dateline.accounts",
    "dateline.images",
    "dateline.ops",
]

MIDDLEWARE = [
    "dateline.articles.timing.PageTimingMiddleware",
    "dateline.ops.outage.DatabaseOutageMiddleware",  # a database outage is a 503 page, not a stack trace
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dateline.articles.editions.EditionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dateline.urls"
WSGI_APPLICATION = "dateline.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dateline.articles.context_processors.site",
                "dateline.articles.timing.generation_marker",
                "dateline.articles.context_processors.edition_switcher",
                "dateline.articles.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'dateline.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = None
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while one writer commits; IMMEDIATE takes the write lock up front,
        # so two writers queue (busy timeout) instead of failing with "database is locked".
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
# Read replicas (docs/deploy.md): reads go to them; writes, transactions and requests that may write, to the primary.
for number, url in enumerate(env_list("DATABASE_REPLICA_URLS", ""), 1):
    DATABASES[f"replica{number}"] = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    DATABASES[f"replica{number}"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["dateline.ops.replicas.ReplicaRouter"] if len(DATABASES) > 1 else []
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "dateline.ops.redis_cache.TolerantRedisCache", "LOCATION": REDIS_URL}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en")
# Editions: the default one (LANGUAGE_CODE) at the unprefixed URLs, each other under its code (/ar/, /fa/).
# An edition needs a catalogue in dateline/locale; these are the languages one exists for.
INTERFACE_LANGUAGES = {"en": _("English"), "ar": _("Arabic"), "fa": _("Persian"), "fr": _("French")}
EDITIONS = list(dict.fromkeys([LANGUAGE_CODE, *env_list("EDITIONS", "en,ar,fa")]))
LANGUAGES = [(code, INTERFACE_LANGUAGES.get(code, code)) for code in EDITIONS]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Shared media for several servers: any S3-compatible store (AWS, MinIO, Ceph, R2…) through django-storages.
if os.environ.get("MEDIA_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["MEDIA_S3_BUCKET"],
            "endpoint_url": os.environ.get("MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("MEDIA_S3_REGION") or None,
            "custom_domain": os.environ.get("MEDIA_S3_CUSTOM_DOMAIN") or None,
            "access_key": os.environ.get("MEDIA_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("MEDIA_S3_SECRET_ACCESS_KEY") or None,
            "file_overwrite": False,
            "querystring_auth": False,  # published pictures are public; their names are random
        },
    }

# Security: Django's protections stay on; HTTPS=1 turns on what only makes sense behind TLS.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS and env_flag("HSTS_PRELOAD")
# Joining the browsers' HSTS preload list is hard to undo, so it is the operator's explicit choice (HSTS_PRELOAD=1),
# and the check that nags about it stays quiet.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# oEmbed providers an admin allows for embeds by URL, as `domain=endpoint` pairs (docs/writing.md).
EMBED_OEMBED_PROVIDERS = dict(entry.split("=", 1) for entry in env_list("EMBED_OEMBED_PROVIDERS", "") if "=" in entry)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        # Players that story bodies may carry (articles.embeds, and the iframes of articles.html.EMBED_PROVIDERS
        # in older bodies), loaded only when a reader asks; and nothing else.
        "frame-src": [
            "https://www.youtube-nocookie.com",
            "https://www.youtube.com",
            "https://player.vimeo.com",
            "https://open.spotify.com",
            "https://www.dailymotion.com",
            "https://platform.twitter.com",
            "https://www.instagram.com",
            "https://embed.bsky.app",
            "https://w.soundcloud.com",
            *(f"https://{host}" for domain in EMBED_OEMBED_PROVIDERS for host in (domain, f"*.{domain}")),
        ],
    }
}

# Limits (docs/security.md). The client's address is REMOTE_ADDR, or with TRUSTED_PROXIES=N the one the Nth
# proxy from us wrote into X-Forwarded-For.
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
COMMENTS_RATE_PER_IP = os.environ.get("COMMENTS_RATE_PER_IP", "5/m")
COMMENTS_RATE_PER_STORY = os.environ.get("COMMENTS_RATE_PER_STORY", "30/m")
API_WRITE_RATE = os.environ.get("API_WRITE_RATE", "60/m")  # API writes per token
API_AUTH_FAILURE_RATE = os.environ.get("API_AUTH_FAILURE_RATE", "20/m")  # wrong API tokens per address
LOGIN_RATE_PER_IP = os.environ.get("LOGIN_RATE_PER_IP", "20/10m")  # failed logins from one address, any usernames
# django-axes locks a username at one address (never everywhere, so nobody can lock an editor out from afar).
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "dateline.accounts.ratelimit.client_ip"
AXES_LOCKOUT_CALLABLE = "dateline.accounts.login.locked_out"
AXES_VERBOSE = False
OTP_TOTP_ISSUER = SITE_NAME

# Reader comments.
CAPTCHA_IMAGE_SIZE = (120, 50)
CAPTCHA_FONT_SIZE = 34
CAPTCHA_TIMEOUT = 30  # minutes a security key stays valid: long enough to write a comment
CAPTCHA_FLITE_PATH = shutil.which("flite")  # speaks the key (the audio alternative) where installed
COMMENTS_MIN_SECONDS = int(os.environ.get("COMMENTS_MIN_SECONDS", "3"))
COMMENTS_MODERATION = env_flag("COMMENTS_MODERATION", default=True)
PREVIEW_LINK_DAYS = int(os.environ.get("PREVIEW_LINK_DAYS", "7"))

# The page cache in front of Django (dateline.pagecache): exact invalidation; PAGE_CACHE_SECONDS bounds staleness.
PAGE_CACHE = env_flag("PAGE_CACHE", default=True)
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "60"))
# The first segments of the paths (after an edition's code) the page cache leaves to Django: pages for staff or for
# one reader, searches, the API, files. robots.txt keeps crawlers out of those marked "disallow".
PAGE_CACHE_BYPASS = {
    "admin": "disallow",
    "newsroom": "disallow",
    "comments": "disallow",
    "captcha": "disallow",
    "api": "allow",
    "search": "allow",
    "static": "allow",
    "media": "allow",
    "favicon.ico": "allow",
}

# Background jobs (Django's tasks API through django-tasks; the queue is a table: no server to run). `dateline worker`
# runs them; a job whose worker has not been heard of for JOBS_LEASE_SECONDS is put back in the queue.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
JOBS_LEASE_SECONDS = int(os.environ.get("JOBS_LEASE_SECONDS", "30"))
# Webhooks: never to loopback or private addresses (SSRF) unless allowed; seconds a receiver has to answer.
WEBHOOKS_ALLOW_PRIVATE = env_flag("WEBHOOKS_ALLOW_PRIVATE")
WEBHOOKS_TIMEOUT = float(os.environ.get("WEBHOOKS_TIMEOUT", "10"))
# An edge cache in front (ops.edge): "", "varnish", "fastly" or "cloudflare"; EDGE_CACHE_URL: the Varnish servers to
# purge (comma-separated), or another address for the Fastly/Cloudflare API (a test double).
EDGE_CACHE = os.environ.get("EDGE_CACHE", "").strip().lower()
EDGE_CACHE_URL = env_list("EDGE_CACHE_URL", "")
FASTLY_SERVICE_ID = os.environ.get("FASTLY_SERVICE_ID", "")
FASTLY_API_TOKEN = os.environ.get("FASTLY_API_TOKEN", "")
CLOUDFLARE_ZONE_ID = os.environ.get("CLOUDFLARE_ZONE_ID", "")
CLOUDFLARE_API_TOKEN = os.environ.get("CLOUDFLARE_API_TOKEN", "")
EDGE_NEEDS = {
    "": [], "varnish": ["EDGE_CACHE_URL"],
    "fastly": ["FASTLY_SERVICE_ID", "FASTLY_API_TOKEN"], "cloudflare": ["CLOUDFLARE_ZONE_ID", "CLOUDFLARE_API_TOKEN"],
}  # fmt: skip
if EDGE_CACHE not in EDGE_NEEDS:
    raise ImproperlyConfigured(f"EDGE_CACHE must be one of varnish, fastly, cloudflare (or empty), not {EDGE_CACHE!r}")
if missing := [name for name in EDGE_NEEDS[EDGE_CACHE] if not globals()[name]]:
    raise ImproperlyConfigured(f"EDGE_CACHE={EDGE_CACHE} needs {', '.join(missing)}")

# WebSub: hubs the feeds name, pinged when a story is published or corrected (comma-separated URLs).
WEBSUB_HUBS = env_list("WEBSUB_HUBS", "")

STORIES_PER_PAGE = 20
FEEDS_FULL_TEXT = env_flag("FEEDS_FULL_TEXT", default=True)  # 0: feeds carry summaries only
MOST_READ_DAYS = int(os.environ.get("MOST_READ_DAYS", "2"))  # UTC days counted by the "most read" box, today included

# Uploaded images (dateline.images): limits checked before decoding.
IMAGES_MAX_BYTES = int(os.environ.get("IMAGES_MAX_BYTES", 20 * 1024 * 1024))
IMAGES_MAX_PIXELS = int(os.environ.get("IMAGES_MAX_PIXELS", 50_000_000))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
