"""Production keeps uploads in a private Azure Blob Storage container; nothing here talks to
the network."""

from prod_env import PROD_ENV

SHOW_STORAGE = """
from django.core.files.storage import storages
s = storages["default"]
print(type(s).__name__, s.azure_container, s.location, s.overwrite_files, s.expiration_secs)
print(s.url("avatars/ada.png"))
"""
ACCOUNT = ("DJANGO_AZURE_ACCOUNT_NAME", "DJANGO_AZURE_ACCOUNT_KEY")


def test_production_stores_uploads_privately_in_the_container(run_django):
    result = run_django(SHOW_STORAGE, "config.settings.prod", PROD_ENV)

    assert result.returncode == 0, result.stderr
    described, url = result.stdout.splitlines()
    assert described.split() == ["MediaStorage", "uploads", "media", "False", "3600"]
    assert url.startswith(
        "https://testaccount.blob.core.windows.net/uploads/media/avatars/ada.png?"
    )
    assert "sig=" in url and "se=" in url


def test_a_connection_string_names_the_account_instead(run_django):
    env = {k: v for k, v in PROD_ENV.items() if k not in ACCOUNT}
    env["DJANGO_AZURE_CONNECTION_STRING"] = (
        "DefaultEndpointsProtocol=https;AccountName=other;"
        "AccountKey=dGVzdGluZy1rZXktbm90LWEtc2VjcmV0;EndpointSuffix=core.windows.net"
    )

    result = run_django(SHOW_STORAGE, "config.settings.prod", env)

    assert result.returncode == 0, result.stderr
    url = result.stdout.splitlines()[1]
    assert url.startswith("https://other.blob.core.windows.net/uploads/media/avatars/ada.png?")
    assert "sig=" in url


def test_a_custom_domain_serves_media_from_the_cdn(run_django):
    env = {**PROD_ENV, "DJANGO_AZURE_CUSTOM_DOMAIN": "media.example.net"}

    result = run_django(SHOW_STORAGE, "config.settings.prod", env)

    assert result.returncode == 0, result.stderr
    assert (
        result.stdout.splitlines()[1] == "https://media.example.net/uploads/media/avatars/ada.png"
    )


def test_production_refuses_to_start_without_a_container(run_django):
    env = {k: v for k, v in PROD_ENV.items() if k != "DJANGO_AZURE_CONTAINER"}

    result = run_django("", "config.settings.prod", env)

    assert result.returncode != 0
    assert "DJANGO_AZURE_CONTAINER" in result.stderr.strip().splitlines()[-1]


def test_production_refuses_to_start_without_the_account(run_django):
    env = {k: v for k, v in PROD_ENV.items() if k != "DJANGO_AZURE_ACCOUNT_KEY"}

    result = run_django("", "config.settings.prod", env)

    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert "DJANGO_AZURE_CONNECTION_STRING" in last_line
    assert "DJANGO_AZURE_ACCOUNT_KEY" in last_line


def test_development_keeps_uploads_on_disk_and_never_imports_the_azure_sdk(run_django):
    result = run_django(
        "import sys\n"
        "from django.core.files.storage import storages\n"
        "import config.urls\n"
        "print(type(storages['default']).__name__, 'azure' in sys.modules)",
        "config.settings.dev",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["FileSystemStorage", "False"]


def test_an_unreachable_account_gives_up_after_two_quick_retries(run_django):
    """Nothing listens on 127.0.0.1:9. The connection string's client gets the settings'
    retry policy too (Azure's default retries for about a minute)."""
    env = {k: v for k, v in PROD_ENV.items() if k not in ACCOUNT}
    env["DJANGO_AZURE_CONNECTION_STRING"] = (
        "DefaultEndpointsProtocol=http;AccountName=testaccount;"
        "AccountKey=dGVzdGluZy1rZXktbm90LWEtc2VjcmV0;BlobEndpoint=http://127.0.0.1:9/testaccount;"
    )
    code = (
        "from django.core.files.storage import storages\n"
        "try:\n"
        "    storages['default'].exists('avatars/ada.webp')\n"
        "except Exception as error:\n"
        "    print(type(error).__name__)\n"
        "print(storages['default'].service_client._config.retry_policy.total_retries)\n"
    )

    result = run_django(code, "config.settings.prod", env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["ServiceRequestError", "2"]
