"""Production keeps uploads in a private Google Cloud Storage bucket; nothing here talks to
the network."""

import json

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from prod_env import PROD_ENV

SHOW_STORAGE = """
from django.core.files.storage import storages
s = storages["default"]
print(type(s).__name__, s.bucket_name, s.location, s.file_overwrite, s.default_acl)
print(s.url("avatars/ada.png"))
"""


@pytest.fixture
def credentials(tmp_path):
    """A service account key file of a made-up account, as GOOGLE_APPLICATION_CREDENTIALS
    names one: signing a URL with it is local arithmetic; nothing is sent anywhere."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path = tmp_path / "service-account.json"
    account = {
        "type": "service_account",
        "project_id": "example-project",
        "private_key_id": "0",
        "private_key": pem.decode(),
        "client_email": "media@example-project.iam.gserviceaccount.com",
        "client_id": "0",
        "token_uri": "https://oauth2.googleapis.com/token",
    }
    path.write_text(json.dumps(account))
    return {**PROD_ENV, "GOOGLE_APPLICATION_CREDENTIALS": str(path)}


def test_production_stores_uploads_privately_in_the_bucket(run_django, credentials):
    result = run_django(SHOW_STORAGE, "config.settings.prod", credentials)

    assert result.returncode == 0, result.stderr
    described, url = result.stdout.splitlines()
    assert described.split() == ["GoogleCloudStorage", "uploads", "media", "False", "None"]
    assert url.startswith("https://storage.googleapis.com/uploads/media/avatars/ada.png?")
    assert "X-Goog-Signature=" in url and "X-Goog-Expires=3600" in url


def test_a_custom_endpoint_serves_media_from_the_cdn(run_django, credentials):
    env = {**credentials, "DJANGO_GS_CUSTOM_ENDPOINT": "https://media.example.net"}

    result = run_django(SHOW_STORAGE, "config.settings.prod", env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1] == "https://media.example.net/media/avatars/ada.png"


def test_production_refuses_to_start_without_a_bucket(run_django):
    env = {k: v for k, v in PROD_ENV.items() if k != "DJANGO_GS_BUCKET_NAME"}

    result = run_django("", "config.settings.prod", env)

    assert result.returncode != 0
    assert "DJANGO_GS_BUCKET_NAME" in result.stderr.strip().splitlines()[-1]


def test_development_keeps_uploads_on_disk_and_never_imports_the_google_sdk(run_django):
    result = run_django(
        "import sys\n"
        "from django.core.files.storage import storages\n"
        "import config.urls\n"
        "print(type(storages['default']).__name__, 'google.cloud' in sys.modules)",
        "config.settings.dev",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["FileSystemStorage", "False"]


def test_an_unreachable_bucket_gives_up_within_the_bounded_retry(run_django):
    """Nothing listens on 127.0.0.1:9. The Google client retries for up to 120 s by default;
    production settings bound that to 10 s."""
    env = {**PROD_ENV, "STORAGE_EMULATOR_HOST": "http://127.0.0.1:9"}
    code = (
        "from django.core.files.storage import storages\n"
        "from google.cloud.storage.retry import DEFAULT_RETRY\n"
        "try:\n"
        "    storages['default'].exists('avatars/ada.webp')\n"
        "except Exception as error:\n"
        "    print(type(error).__name__)\n"
        "print(DEFAULT_RETRY.timeout)\n"
    )

    result = run_django(code, "config.settings.prod", env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["RetryError", "10.0"]
