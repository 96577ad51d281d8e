"""The media options, one MediaOption each: all that the template's own code (tests, support,
bench/run) knows of an option. What the bake needs of it is data in cookiecutter.json (the
prompt's names in media_storage, the rest in _media_options), read here, not copied; its
project files are whole under {{cookiecutter.project_slug}}/_media/<option>/. A test fails
when the three disagree (tests/test_bake.py).
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from .object_stores import AzureStore, GoogleStore, ObjectStore, S3Store

COOKIECUTTER = json.loads(
    (Path(__file__).resolve().parent.parent / "cookiecutter.json").read_text(encoding="utf-8")
)


@dataclass(frozen=True)
class MediaOption:
    name: str
    label: str  # what the benchmark's figures call it
    # The answers its standard bake gives besides media_storage (tests/conftest.py's bakes):
    # together they test the answers too.
    answers: dict
    backend: str  # production's storages["default"], as config/settings/media.py names it
    # What production settings need to start: throwaway values, for commands that never reach
    # the bucket (the emulator's env has those that do).
    settings: dict = field(default_factory=dict)
    emulator: type[ObjectStore] | None = None  # a bucket's, on loopback
    # The query parameters of a signed link: its signature and its expiry.
    signature: str | None = None
    expiry: str | None = None
    # What its client logs when nothing answers at the endpoint.
    outage_errors: tuple[str, ...] = ()

    @property
    def data(self):
        """Its entry in cookiecutter.json's _media_options: what the bake reads."""
        return COOKIECUTTER["_media_options"][self.name]

    @property
    def bucket(self):
        """Media in object storage, served from there; otherwise on the server's disk."""
        return not self.data["disk"]

    @property
    def extra(self):
        """The django-storages extra the project installs ("" for none)."""
        return self.data["extra"]


REGISTRY = (
    MediaOption(
        "local",
        label="local disk",
        # "Email" is a standard-library name older versions refused (the project never
        # imports its own name).
        answers={"project_name": "Email"},
        backend="django.core.files.storage.FileSystemStorage",
    ),
    MediaOption(
        "s3",
        label="S3 (moto on loopback)",
        # Every character a generated file must escape.
        answers={
            "project_name": 'Café "Crème" \\ #1 {brace} 🎉 <b>&',
            "description": 'Uploads & "avatars" \\ # {x} — *not* <i>markup</i> ✓',
            "author_name": "Zoë O'Brien \\ {z} 🎨",
        },
        backend="storages.backends.s3.S3Storage",
        settings={
            "DJANGO_AWS_STORAGE_BUCKET_NAME": "uploads",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
        },
        emulator=S3Store,
        signature="X-Amz-Signature=",
        expiry="X-Amz-Expires=",
        outage_errors=("EndpointConnectionError",),
    ),
    MediaOption(
        "gcs",
        label="Google Cloud Storage (gcp-storage-emulator on loopback)",
        answers={"project_name": "3D Prints"},  # a leading digit: the slug is site_3d_prints
        backend="storages.backends.gcloud.GoogleCloudStorage",
        settings={"DJANGO_GS_BUCKET_NAME": "uploads"},
        emulator=GoogleStore,
        signature="X-Goog-Signature=",
        expiry="X-Goog-Expires=",
        outage_errors=("ConnectionError", "Connection refused"),
    ),
    MediaOption(
        "azure",
        label="Azure Blob Storage (Azurite on loopback)",
        answers={"project_name": "Blue Gallery", "domain_name": "blue.test"},
        backend="config.storage.MediaStorage",
        settings={
            "DJANGO_AZURE_CONTAINER": "uploads",
            "DJANGO_AZURE_ACCOUNT_NAME": "testaccount",
            "DJANGO_AZURE_ACCOUNT_KEY": "dGVzdGluZy1rZXktbm90LWEtc2VjcmV0",
        },
        emulator=AzureStore,
        signature="sig=",
        expiry="se=",
        outage_errors=("ServiceRequestError", "Connection refused"),
    ),
)

# Every option by name, in the registry's order (the prompt's, a test checks: the default first).
OPTIONS = {option.name: option for option in REGISTRY}
# The options that keep media in object storage.
BUCKET_OPTIONS = [name for name, option in OPTIONS.items() if option.bucket]
