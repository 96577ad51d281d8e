"""Production keeps uploads in a private S3 bucket; nothing here talks to the network."""

import pytest
from prod_env import PROD_ENV

SHOW_STORAGE = """
from django.core.files.storage import storages
s = storages["default"]
print(type(s).__name__, s.bucket_name, s.location, s.file_overwrite, s.default_acl)
print(s.url("avatars/ada.png"))
"""


def test_production_stores_uploads_privately_in_the_bucket(run_django):
    result = run_django(SHOW_STORAGE, "config.settings.prod", PROD_ENV)

    assert result.returncode == 0, result.stderr
    described, url = result.stdout.splitlines()
    assert described.split() == ["S3Storage", "uploads", "media", "False", "None"]
    assert url.startswith("http://127.0.0.1:9/uploads/media/avatars/ada.png?")
    assert "X-Amz-Signature=" in url


def test_a_custom_domain_serves_media_from_the_cdn(run_django):
    env = {**PROD_ENV, "DJANGO_AWS_S3_CUSTOM_DOMAIN": "media.example.net"}

    result = run_django(SHOW_STORAGE, "config.settings.prod", env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1] == "https://media.example.net/media/avatars/ada.png"


def test_production_refuses_to_start_without_a_bucket(run_django):
    env = {k: v for k, v in PROD_ENV.items() if k != "DJANGO_AWS_STORAGE_BUCKET_NAME"}

    result = run_django("", "config.settings.prod", env)

    assert result.returncode != 0
    assert "DJANGO_AWS_STORAGE_BUCKET_NAME" in result.stderr.strip().splitlines()[-1]


def test_development_keeps_uploads_on_disk_and_never_imports_boto3(run_django):
    result = run_django(
        "import sys\n"
        "from django.core.files.storage import storages\n"
        "import config.urls\n"
        "print(type(storages['default']).__name__, 'boto3' in sys.modules)",
        "config.settings.dev",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["FileSystemStorage", "False"]


def manage(run_django, env, *args):
    """manage.py with production settings, as an operator runs it."""
    code = (
        "from django.core.management import execute_from_command_line\n"
        f"execute_from_command_line({['manage.py', *args]!r})"
    )
    return run_django(code, "config.settings.prod", env)


MEDIA_COMMANDS = [["copy_media", "disk", "default"], ["orphaned_media"]]


@pytest.mark.parametrize("command", MEDIA_COMMANDS)
def test_an_unreachable_endpoint_stops_the_media_commands_with_one_line(
    run_django, tmp_path, command
):
    env = {**PROD_ENV, "DJANGO_MEDIA_ROOT": str(tmp_path)}  # nothing listens on port 9

    result = manage(run_django, env, *command)

    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert "cannot be reached" in line and "DJANGO_AWS_S3_ENDPOINT_URL" in line


@pytest.mark.parametrize("command", MEDIA_COMMANDS)
@pytest.mark.parametrize("name", ["my media", "médias"])
def test_an_invalid_bucket_name_stops_the_media_commands_before_they_start(
    run_django, tmp_path, command, name
):
    env = {**PROD_ENV, "DJANGO_MEDIA_ROOT": str(tmp_path), "DJANGO_AWS_STORAGE_BUCKET_NAME": name}

    result = manage(run_django, env, *command)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "storage.E016" in result.stderr and "DJANGO_AWS_STORAGE_BUCKET_NAME" in result.stderr
