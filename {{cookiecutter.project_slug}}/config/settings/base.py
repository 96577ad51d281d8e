"""Settings shared by every environment; dev.py, prod.py and test.py hold only differences.

Media and static files are kept strictly apart:
- media: files users upload at run time (MEDIA_ROOT on disk, MEDIA_URL in pages);
- static: assets shipped with the code, gathered by collectstatic (STATIC_ROOT, STATIC_URL).
They never share a directory or a URL prefix: https://docs.djangoproject.com/en/5.2/topics/files/
"""

from datetime import timedelta
from pathlib import Path

import environ

from config.environment import Environment

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = Environment()


def database(url):
    """A DATABASES entry from a URL. SQLite transactions take the write lock as they begin
    (IMMEDIATE), so two saves of one row take turns instead of interleaving:
    https://docs.djangoproject.com/en/5.2/ref/databases/#sqlite-transaction-behavior
    """
    config = environ.Env.db_url_config(url)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config.setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
    return config


# The site's name: page titles, the header, the admin and emails show it.
{#- A Python string: JSON's escapes are Python's; a double quote becomes \u0022, so that ruff
    format keeps the double quotes it prefers whatever the name holds. #}
SITE_NAME = "{{ (cookiecutter.project_name|toml_string)[1:-1]|replace('"', 'u0022') }}"

DEBUG = False

INSTALLED_APPS = [
    # runserver leaves static files to WhiteNoise, so development serves them as production.
    "whitenoise.runserver_nostatic",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "media_storage",
    "users",
    "private_files",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Directly after SecurityMiddleware, so static responses skip the rest of the stack.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the body: a too large one is refused unread (413).
    "config.middleware.RequestBodyLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a throttled login into users/throttling's page.
    "axes.middleware.AxesMiddleware",
]

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
                "config.context_processors.site",
            ],
        },
    },
]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "users.User"
LOGIN_REDIRECT_URL = "profile"
LOGOUT_REDIRECT_URL = "home"

# django-axes first: it refuses a throttled login before a password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login and password-reset throttling (users/throttling.py, docs/security.md).
AXES_HANDLER = "users.throttling.LoginThrottle"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_FAILURE_LIMIT = 5  # failed logins to one account from one address
ADDRESS_FAILURE_LIMIT = 20  # failed logins from one address, over any accounts
AXES_COOLOFF_TIME = timedelta(minutes=15)
# A lock ends on time whatever is tried meanwhile, and a success forgets earlier failures.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "users.throttling.client_address"
AXES_LOCKOUT_CALLABLE = "users.throttling.locked_out"
AXES_DISABLE_ACCESS_LOG = True  # failures are what count; successes need no rows
AXES_VERBOSE = False
PASSWORD_RESETS_PER_HOUR = 5  # from one address, and to one email address
# Addresses of the web server in front (deploy/nginx.conf, deploy/apache.conf): only from
# them is X-Forwarded-For read, for the client's address.
TRUSTED_PROXIES = env.list("DJANGO_TRUSTED_PROXIES", default=["127.0.0.1", "::1"])

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Media: user uploads. MEDIA_URL may be a full URL on another domain or a CDN.
# Both roots are read as text, not cast to Path: a Path would turn a URL's "//" into "/" and an
# empty value into ".", and the storage checks could no longer name the mistake.
MEDIA_ROOT = env.str("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media"))
MEDIA_URL = env.str("DJANGO_MEDIA_URL", default="/media/")
# The domain links in emails name; None, in development, takes the request's (see prod.py).
SITE_DOMAIN = None
# The largest avatar accepted, in bytes (5 MB: here a MB is 1,000,000 bytes, as in every
# message); deploy/nginx.conf's client_max_body_size allows a little more, for the rest of
# the form.
MAX_UPLOAD_SIZE = env.int("DJANGO_MAX_UPLOAD_SIZE", default=5_000_000)
# The largest request body the app reads: the upload and the rest of its form.
MAX_REQUEST_BODY = MAX_UPLOAD_SIZE + 1_000_000
# Uploads larger than this go to a temporary file while the request is read, not to memory
# (Django's default, stated): https://docs.djangoproject.com/en/5.2/ref/settings/#file-upload-max-memory-size
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Private files: each user's own, fetched only through a view that checks who asks. Never
# under MEDIA_ROOT or STATIC_ROOT, never at a public URL (docs/private-media.md).
PRIVATE_ROOT = env.str("DJANGO_PRIVATE_ROOT", default=str(BASE_DIR / "private"))
# The largest private file accepted, in bytes (100 MB); the app refuses a larger body unread.
MAX_PRIVATE_FILE_SIZE = env.int("DJANGO_MAX_PRIVATE_FILE_SIZE", default=100_000_000)
# How long a bucket's signed link to a private file works, in seconds.
PRIVATE_LINK_SECONDS = 60

# The user the web process runs as (deploy/web.service: www-data): check --deploy then makes
# sure it may write in MEDIA_ROOT, whoever runs the check.
WEB_USER = env.str("WEB_USER", default="")
# Threads per web worker that run Django (config/web_front.py); request bodies are read before.
WEB_THREADS = env.int("WEB_THREADS", default=4)

# Static: the project's own assets, built and deployed with the code.
STATIC_ROOT = env.str("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]

# Uploads and private files on the local disk, static files uncompressed; prod.py picks the
# production backends.
# "disk" is MEDIA_ROOT whatever the default is: manage.py copy_media moves uploads between it
# and a bucket (docs/moving-media.md), and "private-disk" private files.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "disk": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "private_files.storage.PrivateFileSystemStorage"},
    "private-disk": {"BACKEND": "private_files.storage.PrivateFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# One path for every log line: each logger propagates to the root's one console handler.
# Django's own "django" logger has a console handler too (under DEBUG) and also propagates,
# which printed its lines twice. Configuring it here removes that handler, and resets its
# children (django.request, django.server) to propagate alike:
# https://docs.djangoproject.com/en/5.2/ref/logging/#default-logging-configuration
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{levelname} {name}: {message}", "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # Lockouts only (WARNING), not a line for every login.
        "axes": {"level": "WARNING"},
    },
}
