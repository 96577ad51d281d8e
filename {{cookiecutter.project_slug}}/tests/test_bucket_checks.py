"""Each bucket media setting that would lose, publish or misplace uploads is reported by
`manage.py check`, for every bucket service; nothing is sent to any service."""

import sys
import types
from collections import namedtuple

import pytest
from system_checks import only, storage_messages

S3 = "storages.backends.s3.S3Storage"
GCS = "storages.backends.gcloud.GoogleCloudStorage"
AZURE = "storages.backends.azure_storage.AzureStorage"
# How each bucket backend names its settings: the bucket, the overwrite switch, the custom
# domain, and the options that make every object public.
Bucket = namedtuple("Bucket", "backend bucket overwrite custom_domain public safe")
BUCKETS = {
    "s3": Bucket(
        backend=S3,
        bucket="bucket_name",
        overwrite="file_overwrite",
        custom_domain="custom_domain",
        public={"default_acl": "public-read"},
        safe={},
    ),
    "gcs": Bucket(
        backend=GCS,
        bucket="bucket_name",
        overwrite="file_overwrite",
        custom_domain="custom_endpoint",
        public={"default_acl": "publicRead"},
        safe={},
    ),
    "azure": Bucket(
        backend=AZURE,
        bucket="azure_container",
        overwrite="overwrite_files",
        custom_domain="custom_domain",
        public={"expiration_secs": None},
        safe={"expiration_secs": 3600},
    ),
}


@pytest.fixture(params=BUCKETS)
def bucket(request, settings):
    """One bucket backend; bucket.use(**options) makes it the media storage, with safe
    options (a bucket, overwriting off, signed links) unless overridden."""
    names = BUCKETS[request.param]

    def use(**options):
        safe = {names.bucket: "uploads", names.overwrite: False, **names.safe}
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": names.backend, "OPTIONS": {**safe, **options}},
        }

    return types.SimpleNamespace(use=use, names=names)


def test_bucket_media_with_safe_settings_passes(bucket):
    bucket.use()

    assert storage_messages() == []


def test_bucket_media_that_overwrites_same_named_uploads_is_reported(bucket):
    bucket.use(**{bucket.names.overwrite: True})

    only(storage_messages(), "storage.E009", bucket.names.overwrite)


def test_s3_and_gcs_overwrite_by_default_so_the_default_is_reported(settings):
    for backend in (S3, GCS):
        options = {"bucket_name": "uploads"}
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": backend, "OPTIONS": options},
        }

        only(storage_messages(), "storage.E009", "file_overwrite")


def test_bucket_media_needs_a_bucket(bucket):
    bucket.use(**{bucket.names.bucket: ""})

    only(storage_messages(), "storage.E010", "no bucket", bucket.names.bucket)


def test_public_bucket_objects_without_a_custom_domain_are_reported(bucket):
    bucket.use(**bucket.names.public)

    only(storage_messages(), "storage.W011", "anyone")


def test_public_bucket_objects_behind_a_custom_domain_are_accepted(bucket):
    bucket.use(**bucket.names.public, **{bucket.names.custom_domain: "cdn.example"})

    assert storage_messages() == []


def test_a_subclass_of_a_bucket_backend_is_checked_as_that_backend(settings, monkeypatch):
    # Classes named as django-storages' are enough: the checks go by name.
    module = types.ModuleType("project_storage")
    azure = type("AzureStorage", (), {"__module__": "storages.backends.azure_storage"})
    module.MediaStorage = type("MediaStorage", (azure,), {"__module__": module.__name__})
    monkeypatch.setitem(sys.modules, module.__name__, module)
    options = {"azure_container": "uploads", "overwrite_files": True, "expiration_secs": 3600}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "project_storage.MediaStorage", "OPTIONS": options},
    }

    only(storage_messages(), "storage.E009", "overwrite_files")


@pytest.mark.parametrize("backend", [S3, GCS])
def test_unsigned_links_without_a_custom_domain_are_reported(settings, backend):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": backend,
            "OPTIONS": {
                "bucket_name": "uploads",
                "file_overwrite": False,
                "querystring_auth": False,
            },
        },
    }

    only(storage_messages(), "storage.W011", "querystring_auth")


def named_bucket(settings, backend, name):
    """Media in this backend's bucket or container of that name, with safe options."""
    (names,) = [b for b in BUCKETS.values() if b.backend == backend]
    options = {names.bucket: name, names.overwrite: False, **names.safe}
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": backend, "OPTIONS": options}}


REFUSED_NAMES = ["my media", "médias", "Uploads", "up", "-uploads", "uploads-", "x" * 64]


@pytest.mark.parametrize("name", REFUSED_NAMES)
def test_a_bucket_name_the_service_refuses_is_reported(bucket, name):
    bucket.use(**{bucket.names.bucket: name})

    only(storage_messages(), "storage.E016", "refuses", repr(name), bucket.names.bucket)


@pytest.mark.parametrize(
    ("backend", "name"),
    [
        (S3, "uploads_2026"),
        (S3, "my..media"),
        (S3, "192.168.1.10"),
        (S3, "xn--uploads"),
        (GCS, "google-uploads"),
        (GCS, "goog-uploads"),
        (GCS, "a" * 64 + ".example"),
        (AZURE, "my--media"),
        (AZURE, "my.media"),
        (AZURE, "my_media"),
    ],
)
def test_each_service_refuses_the_names_its_own_rules_forbid(settings, backend, name):
    named_bucket(settings, backend, name)

    only(storage_messages(), "storage.E016", repr(name))


@pytest.mark.parametrize(
    ("backend", "name"),
    [
        (S3, "my.media-2026"),
        (GCS, "my_media.example.com"),
        (GCS, "media-" + "a" * 57 + "." + "b" * 63),
        (AZURE, "my-media-2026"),
        (AZURE, "0uploads"),
    ],
)
def test_names_within_the_rules_are_accepted(settings, backend, name):
    named_bucket(settings, backend, name)

    assert storage_messages() == []
