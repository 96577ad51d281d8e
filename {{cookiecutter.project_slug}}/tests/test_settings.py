"""Each environment's settings, loaded in a fresh process as a server would load them."""

import os
import subprocess
import sys
from pathlib import Path

from prod_env import PROD_ENV

PROJECT_DIR = Path(__file__).resolve().parent.parent

SHOW_STORAGES = """
from django.conf import settings
from django.core.files.storage import storages
print(type(storages["default"]).__name__)
print(type(storages["staticfiles"]).__name__)
print(settings.DEBUG)
"""


def test_production_settings_load_with_the_required_environment(run_django):
    result = run_django(SHOW_STORAGES, "config.settings.prod", PROD_ENV)

    assert result.returncode == 0, result.stderr
    _default, staticfiles, debug = result.stdout.split()
    assert staticfiles == "CompressedManifestStaticFilesStorage"
    assert debug == "False"


def test_production_refuses_to_start_without_a_secret_key(run_django):
    env = {key: value for key, value in PROD_ENV.items() if key != "DJANGO_SECRET_KEY"}

    result = run_django("", "config.settings.prod", env)

    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert "DJANGO_SECRET_KEY" in last_line


def test_production_refuses_to_start_without_a_database_url(run_django):
    env = {key: value for key, value in PROD_ENV.items() if key != "DATABASE_URL"}

    result = run_django("", "config.settings.prod", env)

    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr.strip().splitlines()[-1]


def test_a_production_command_names_every_missing_variable_in_one_line():
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.pop("DATABASE_URL", None)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.prod"
    command = [sys.executable, "manage.py", "check", "--deploy"]

    result = subprocess.run(
        command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 1
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: Set these environment variables")
    assert "DJANGO_SECRET_KEY" in line and "DATABASE_URL" in line


def test_hsts_starts_low_and_follows_the_environment(run_django):
    show = "from django.conf import settings; print(settings.SECURE_HSTS_SECONDS)"
    default = run_django(show, "config.settings.prod", PROD_ENV)
    raised = run_django(
        show, "config.settings.prod", {**PROD_ENV, "DJANGO_SECURE_HSTS_SECONDS": "31536000"}
    )

    assert default.stdout.split() == ["3600"], default.stderr
    assert raised.stdout.split() == ["31536000"], raised.stderr


def test_development_runs_with_no_environment_on_sqlite_with_local_media(run_django):
    result = run_django(
        SHOW_STORAGES + "print(settings.DATABASES['default']['ENGINE'])", "config.settings.dev"
    )

    assert result.returncode == 0, result.stderr
    default, staticfiles, debug, engine = result.stdout.split()
    assert default == "FileSystemStorage"
    assert staticfiles == "StaticFilesStorage"
    assert debug == "True"
    assert engine == "django.db.backends.sqlite3"


def test_settings_modules_read_media_locations_from_the_environment(run_django, tmp_path):
    result = run_django(
        "from django.conf import settings; print(settings.MEDIA_ROOT, settings.MEDIA_URL)",
        "config.settings.prod",
        {
            **PROD_ENV,
            "DJANGO_MEDIA_ROOT": str(tmp_path / "uploads"),
            "DJANGO_MEDIA_URL": "https://media.example.net/",
        },
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(tmp_path / "uploads"), "https://media.example.net/"]


def test_wsgi_and_asgi_default_to_production_settings(run_django):
    for entry_point in ("config.wsgi", "config.asgi"):
        result = run_django(
            f"import {entry_point}\n"
            "from django.conf import settings\n"
            "print(settings.SETTINGS_MODULE)",
            settings_module=None,
            env=PROD_ENV,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.split() == ["config.settings.prod"]


def test_manage_py_defaults_to_development_settings(run_django):
    result = run_django(
        "import runpy, sys; sys.argv = ['manage.py', 'diffsettings', '--all'];"
        "runpy.run_path('manage.py', run_name='__main__')",
        settings_module=None,
    )

    assert result.returncode == 0, result.stderr
    assert "SETTINGS_MODULE = 'config.settings.dev'" in result.stdout
