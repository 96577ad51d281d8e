"""The object storage services media can live in, one definition each: the settings its
django-storages backend reads, what makes its uploads public, and how to read the checksum
it keeps of a stored file. The system checks and the media commands all ask here.

Backends are recognised by dotted path, so reading these imports no cloud SDK.
"""

import base64
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class BucketService:
    """One service. Each setting is (OPTIONS key, global setting, django-storages' default),
    and each *_variable the environment variable this project reads it from."""

    name: str
    backends: tuple  # the dotted paths of its django-storages backends
    bucket: tuple
    bucket_variable: str
    overwrite: tuple
    custom_domain: tuple
    custom_domain_variable: str
    signing: tuple  # on: links carry a signature that expires
    acl: tuple | None = None  # the ACL each upload is stored with, where objects have one
    public_acls: frozenset = frozenset()

    def public_links(self, option):
        """Why every upload can be read by anyone straight from the bucket, or None. option
        reads a setting as the backend does: option(key, global setting, default)."""
        acl = option(*self.acl) if self.acl else None
        if acl in self.public_acls:
            return f"stored {acl}"
        if not option(*self.signing):
            return f"linked unsigned ({self.signing[0]} off), so the bucket must be public"
        return None

    def stored_md5(self, storage, name):
        """The MD5 the service keeps of a stored file, in hex, or None if it keeps none."""
        return None


class S3(BucketService):
    def stored_md5(self, storage, name):
        head = storage.bucket.Object(storage._normalize_name(name))
        etag = head.e_tag.strip('"')
        # A multipart upload's ETag, or an encrypted object's (SSE-KMS, SSE-C), is no MD5.
        plain = head.server_side_encryption in {None, "AES256"} and not head.sse_customer_algorithm
        return etag if plain and "-" not in etag else None


class GoogleCloudStorage(BucketService):
    def stored_md5(self, storage, name):
        blob = storage.bucket.get_blob(storage._normalize_name(name))
        return base64.b64decode(blob.md5_hash).hex() if blob and blob.md5_hash else None


class AzureBlobStorage(BucketService):
    def stored_md5(self, storage, name):
        blob = storage.client.get_blob_client(storage._get_valid_path(name))
        md5 = blob.get_blob_properties().content_settings.content_md5
        return bytes(md5).hex() if md5 else None


SERVICES = (
    S3(
        "S3",
        ("storages.backends.s3.S3Storage", "storages.backends.s3boto3.S3Boto3Storage"),
        bucket=("bucket_name", "AWS_STORAGE_BUCKET_NAME", None),
        bucket_variable="DJANGO_AWS_STORAGE_BUCKET_NAME",
        overwrite=("file_overwrite", "AWS_S3_FILE_OVERWRITE", True),
        custom_domain=("custom_domain", "AWS_S3_CUSTOM_DOMAIN", None),
        custom_domain_variable="DJANGO_AWS_S3_CUSTOM_DOMAIN",
        signing=("querystring_auth", "AWS_QUERYSTRING_AUTH", True),
        acl=("default_acl", "AWS_DEFAULT_ACL", None),
        public_acls=frozenset({"public-read", "public-read-write"}),
    ),
    GoogleCloudStorage(
        "Google Cloud Storage",
        ("storages.backends.gcloud.GoogleCloudStorage",),
        bucket=("bucket_name", "GS_BUCKET_NAME", None),
        bucket_variable="DJANGO_GS_BUCKET_NAME",
        overwrite=("file_overwrite", "GS_FILE_OVERWRITE", True),
        custom_domain=("custom_endpoint", "GS_CUSTOM_ENDPOINT", None),
        custom_domain_variable="DJANGO_GS_CUSTOM_ENDPOINT",
        signing=("querystring_auth", "GS_QUERYSTRING_AUTH", True),
        acl=("default_acl", "GS_DEFAULT_ACL", None),
        public_acls=frozenset({"publicRead", "publicReadWrite"}),
    ),
    AzureBlobStorage(
        "Azure Blob Storage",
        ("storages.backends.azure_storage.AzureStorage",),
        bucket=("azure_container", "AZURE_CONTAINER", None),
        bucket_variable="DJANGO_AZURE_CONTAINER",
        # Azure's name for it differs from S3's and Google's, and so does its default.
        overwrite=("overwrite_files", "AZURE_OVERWRITE_FILES", False),
        custom_domain=("custom_domain", "AZURE_CUSTOM_DOMAIN", None),
        custom_domain_variable="DJANGO_AZURE_CUSTOM_DOMAIN",
        # Containers have no per-object ACL: links are signed while links expire.
        signing=("expiration_secs", "AZURE_URL_EXPIRATION_SECS", None),
    ),
)
BY_BACKEND = {path: service for service in SERVICES for path in service.backends}


def service_of(storage_class):
    """The service of a storage class, or of the known backend it subclasses, or None."""
    paths = (f"{cls.__module__}.{cls.__qualname__}" for cls in storage_class.__mro__)
    return next((BY_BACKEND[path] for path in paths if path in BY_BACKEND), None)


def service_named(path):
    """The service of a storage backend's dotted path, or None. Known backends are
    recognised by name; any other path but Django's own is imported, to find a known backend
    among its classes (a project's subclass: configured, so loaded anyway)."""
    if path in BY_BACKEND or not path or path.startswith("django."):
        return BY_BACKEND.get(path)
    try:
        return service_of(import_string(path))
    except ImportError:
        return None


def backend(alias):
    return settings.STORAGES.get(alias, {}).get("BACKEND", "")


def media_on_local_disk():
    """Whether uploads go to MEDIA_ROOT."""
    path = backend("default")
    if service_named(path):
        return False
    try:
        return issubclass(import_string(path), FileSystemStorage)
    except ImportError:
        return False


def stored_md5(storage, name):
    """The MD5 a storage keeps of a file, in hex (computed, on a disk), or None."""
    if isinstance(storage, FileSystemStorage):
        with storage.open(name, "rb") as file:
            return hashlib.file_digest(file, "md5").hexdigest()
    service = service_of(type(storage))
    return service.stored_md5(storage, name) if service else None
