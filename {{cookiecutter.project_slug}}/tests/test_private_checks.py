"""Private files misconfigured are caught by `manage.py check`: a private root the web server
or collectstatic would publish, a bucket that shows them to anyone, signed links that live too
long, a web server config that serves the private root."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from system_checks import only, storage_messages

PROJECT_DIR = Path(__file__).resolve().parent.parent


def in_a_bucket(settings, backend, **options):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": backend, "OPTIONS": {"bucket_name": "files", **options}},
    }


def test_a_private_root_inside_media_root_is_an_error(settings, media_root):
    settings.PRIVATE_ROOT = str(media_root / "private")

    only(storage_messages(), "storage.E020", "is inside MEDIA_ROOT")


def test_a_private_root_that_is_static_root_is_an_error(settings):
    settings.PRIVATE_ROOT = settings.STATIC_ROOT

    only(storage_messages(), "storage.E020", "is STATIC_ROOT")


def test_a_relative_private_root_is_an_error(settings):
    settings.PRIVATE_ROOT = "private"

    only(storage_messages(), "storage.E019", "'private'", "not an absolute directory")


@pytest.mark.parametrize(
    ("backend", "options", "words"),
    [
        ("storages.backends.s3.S3Storage", {"querystring_auth": False}, "unsigned"),
        ("storages.backends.s3.S3Storage", {"default_acl": "public-read"}, "public-read"),
        ("storages.backends.s3.S3Storage", {"custom_domain": "cdn.example.com"}, "cdn.example"),
        ("storages.backends.gcloud.GoogleCloudStorage", {"default_acl": "publicRead"}, "public"),
    ],
)
def test_private_files_in_a_bucket_anyone_can_read_are_an_error(settings, backend, options, words):
    lifetime = {"querystring_expire": 60, "expiration": timedelta(seconds=60)}
    in_a_bucket(settings, backend, **lifetime, **options)

    only(storage_messages(), "storage.E021", words)


@pytest.mark.parametrize(
    ("backend", "options"),
    [
        ("storages.backends.s3.S3Storage", {}),  # django-storages' default: an hour
        ("storages.backends.gcloud.GoogleCloudStorage", {"expiration": timedelta(hours=1)}),
        ("storages.backends.azure_storage.AzureStorage", {"expiration_secs": 3600}),
    ],
)
def test_signed_links_to_private_files_that_live_long_are_an_error(settings, backend, options):
    in_a_bucket(settings, backend, **options)

    only(storage_messages(), "storage.E022", "3600 s")


def shipped_private_root():
    """The private root the shipped configs expect: /srv/<project>/private."""
    text = (PROJECT_DIR / "deploy" / "nginx.conf").read_text()
    return re.search(r"root (/srv/[^/;\s]+);", text).group(1) + "/private"


def test_the_shipped_web_server_configs_keep_the_private_root_private(settings):
    settings.PRIVATE_ROOT = shipped_private_root()

    assert storage_messages(deploy=True) == []


@pytest.mark.parametrize(
    ("name", "config"),
    [
        ("nginx.conf", "server {\n    location /downloads/ {\n        alias /srv/x/private/;\n"),
        ("nginx.conf", "server {\n    location /srv/ {\n        root /;\n    }\n}\n"),
        ("apache.conf", "<VirtualHost *:443>\n    DocumentRoot /srv/x\n</VirtualHost>\n"),
    ],
)
def test_a_web_server_config_that_serves_the_private_root_is_an_error(
    settings, tmp_path, name, config
):
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / name).write_text(config)
    settings.BASE_DIR, settings.PRIVATE_ROOT = tmp_path, "/srv/x/private"

    found = [m for m in storage_messages(deploy=True) if m.id == "storage.E023"]

    only(found, "storage.E023", f"deploy/{name}", "/srv/x/private")
