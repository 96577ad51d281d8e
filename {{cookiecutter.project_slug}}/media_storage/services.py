"""The object storage services media can live in, each described once: the settings it reads,
what makes its objects public, the names it accepts, how it reports a stored object's MD5,
and which of its errors mean the configuration is wrong rather than one file.

The checks read the settings part only, so importing this module imports no cloud SDK; the
methods that talk to a service import its SDK when called, with a storage of that service.
"""

import base64
import ipaddress
import re
from dataclasses import dataclass
from datetime import timedelta

from django.utils.module_loading import import_string


class ConfigurationError(Exception):
    """The storage cannot work at all (missing bucket, refused credentials, unreachable
    endpoint, invalid name): one line that names the setting to fix."""


@dataclass(frozen=True)
class BucketService:
    """One service. Each setting is (OPTIONS key, global setting, django-storages' default)."""

    name: str
    backends: tuple
    # What the service calls the place objects go: "bucket" or "container".
    container: str
    bucket: tuple
    bucket_variable: str
    overwrite: tuple
    custom_domain: tuple
    custom_domain_variable: str
    # The option that signs links; off (falsy), every link is a plain public URL.
    signing: tuple
    # The option holding an object ACL, and the values that make every object public.
    acl: tuple = None
    public_acls: frozenset = frozenset()
    credentials: str = ""
    endpoint_variable: str = ""
    # The signed link's parameter that sets the Content-Disposition the service answers.
    disposition_parameter: str = ""
    # The option holding how long a signed link works (seconds, or a timedelta).
    lifetime: tuple = None

    def public_links(self, option):
        """Why every upload can be read by anyone straight from the bucket, or None."""
        acl = option(*self.acl) if self.acl else None
        if acl in self.public_acls:
            return f"stored {acl}"
        signing = option(*self.signing)
        if not signing:
            return (
                f"linked unsigned ({self.signing[0]} is {signing!r}), so the {self.container} "
                "must be public"
            )
        return None

    def refused_name(self, name):
        """Why the service refuses this bucket or container name, or None."""
        raise NotImplementedError

    def stored_md5(self, storage, name):
        """The MD5 the service keeps for a stored object, in hex, or None if it keeps none."""
        raise NotImplementedError

    def probe(self, storage):
        """List at most one object, so that a wrong configuration fails before any file does."""
        raise NotImplementedError

    def download_url(self, storage, name, disposition):
        """A signed link to the object that makes the browser save it under disposition's
        name (each service has its own parameter for the Content-Disposition it answers)."""
        return storage.url(name, parameters={self.disposition_parameter: disposition})

    def problem(self, storage, error):
        """The one-line configuration problem error stands for, or None if it is about one
        file only."""
        raise NotImplementedError

    def missing(self, storage):
        bucket = getattr(storage, self.bucket[0], "")
        return f"the {self.container} {bucket!r} does not exist (set {self.bucket_variable})"

    def invalid(self, storage):
        bucket = getattr(storage, self.bucket[0], "")
        return f"{bucket!r} is not a valid {self.container} name (set {self.bucket_variable})"

    def refused(self, storage):
        bucket = getattr(storage, self.bucket[0], "")
        return f"the {self.container} {bucket!r} refused the credentials ({self.credentials})"

    def unreachable(self, error):
        return f"the service cannot be reached ({self.endpoint_variable}): {type(error).__name__}"


def length_problem(name, longest=63):
    if not 3 <= len(name) <= longest:
        return f"it has {len(name)} characters, not 3 to {longest}"
    return None


def is_ip_address(name):
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


S3_NAME = re.compile(r"[a-z0-9][a-z0-9.-]*[a-z0-9]")
S3_RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
S3_RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")


class S3(BucketService):
    # https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
    def refused_name(self, name):
        if problem := length_problem(name):
            return problem
        if not S3_NAME.fullmatch(name):
            return (
                "only lowercase letters, digits, dots and hyphens, starting and ending with "
                "a letter or digit, are allowed"
            )
        if ".." in name or is_ip_address(name):
            return "it has two dots in a row or is an IP address"
        if name.startswith(S3_RESERVED_PREFIXES) or name.endswith(S3_RESERVED_SUFFIXES):
            return "it starts or ends with a prefix or suffix S3 reserves"
        return None

    def key(self, storage, name):
        return storage._normalize_name(name)  # the location prefix added, as the backend does

    def stored_md5(self, storage, name):
        head = storage.bucket.Object(self.key(storage, name))
        etag = head.e_tag.strip('"')
        # A multipart upload's ETag, or an encrypted object's (SSE-KMS, SSE-C), is no MD5.
        plain = head.server_side_encryption in {None, "AES256"} and not head.sse_customer_algorithm
        return etag if plain and "-" not in etag else None

    def probe(self, storage):
        storage.connection.meta.client.list_objects_v2(Bucket=storage.bucket_name, MaxKeys=1)

    def problem(self, storage, error):
        from botocore import exceptions

        if isinstance(error, exceptions.ParamValidationError) and "bucket" in str(error).lower():
            return self.invalid(storage)
        if isinstance(error, exceptions.NoCredentialsError | exceptions.PartialCredentialsError):
            return f"no credentials were found ({self.credentials})"
        if isinstance(error, exceptions.ClientError):
            code = error.response.get("Error", {}).get("Code", "")
            if code == "NoSuchBucket":
                return self.missing(storage)
            if code == "InvalidBucketName":
                return self.invalid(storage)
            if code in {"InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "403"}:
                return self.refused(storage)
        if isinstance(error, exceptions.EndpointConnectionError | exceptions.ConnectTimeoutError):
            return self.unreachable(error)
        return None


GOOGLE_NAME = re.compile(r"[a-z0-9][a-z0-9._-]*[a-z0-9]")


class GoogleCloudStorage(BucketService):
    # https://cloud.google.com/storage/docs/buckets#naming
    def refused_name(self, name):
        if problem := length_problem(name, 222 if "." in name else 63):
            return problem
        if not GOOGLE_NAME.fullmatch(name):
            return (
                "only lowercase letters, digits, dots, hyphens and underscores, starting and "
                "ending with a letter or digit, are allowed"
            )
        if any(len(part) > 63 for part in name.split(".")) or ".." in name:
            return "a dot-separated part is empty or longer than 63 characters"
        if is_ip_address(name) or name.startswith("goog") or "google" in name:
            return "it is an IP address, starts with 'goog' or contains 'google'"
        return None

    def stored_md5(self, storage, name):
        blob = storage.bucket.get_blob(storage._normalize_name(name))
        return base64.b64decode(blob.md5_hash).hex() if blob and blob.md5_hash else None

    def probe(self, storage):
        next(iter(storage.client.list_blobs(storage.bucket_name, max_results=1)), None)

    def problem(self, storage, error):
        from google.api_core import exceptions
        from google.auth.exceptions import GoogleAuthError
        from requests.exceptions import ConnectionError

        if isinstance(error, exceptions.NotFound):
            return self.missing(storage)
        if isinstance(error, exceptions.BadRequest) and "name" in str(error).lower():
            return self.invalid(storage)
        if isinstance(error, exceptions.Unauthorized | exceptions.Forbidden | GoogleAuthError):
            return self.refused(storage)
        if isinstance(error, exceptions.RetryError | ConnectionError):
            return self.unreachable(error)
        return None


AZURE_NAME = re.compile(r"[a-z0-9](?:-?[a-z0-9])*")


class AzureBlobStorage(BucketService):
    # https://learn.microsoft.com/en-us/rest/api/storageservices/naming-and-referencing-containers--blobs--and-metadata
    def refused_name(self, name):
        if problem := length_problem(name):
            return problem
        if not AZURE_NAME.fullmatch(name):
            return (
                "only lowercase letters, digits and single hyphens, starting and ending with "
                "a letter or digit, are allowed"
            )
        return None

    def stored_md5(self, storage, name):
        blob = storage.client.get_blob_client(storage._get_valid_path(name))
        md5 = blob.get_blob_properties().content_settings.content_md5
        return bytes(md5).hex() if md5 else None

    def probe(self, storage):
        next(iter(storage.client.list_blobs(results_per_page=1)), None)

    def problem(self, storage, error):
        from azure.core import exceptions

        if isinstance(error, exceptions.ResourceNotFoundError):
            return self.missing(storage)
        code = getattr(error, "error_code", None)
        if isinstance(error, exceptions.ClientAuthenticationError) or code in {
            "AuthenticationFailed",
            "AuthorizationFailure",
            "AuthorizationPermissionMismatch",
        }:
            return self.refused(storage)
        if code in {"InvalidResourceName", "OutOfRangeInput"}:
            return self.invalid(storage)
        if isinstance(error, exceptions.ServiceRequestError):
            return self.unreachable(error)
        return None


SERVICES = (
    S3(
        name="S3",
        backends=("storages.backends.s3.S3Storage", "storages.backends.s3boto3.S3Boto3Storage"),
        container="bucket",
        bucket=("bucket_name", "AWS_STORAGE_BUCKET_NAME", None),
        bucket_variable="DJANGO_AWS_STORAGE_BUCKET_NAME",
        overwrite=("file_overwrite", "AWS_S3_FILE_OVERWRITE", True),
        custom_domain=("custom_domain", "AWS_S3_CUSTOM_DOMAIN", None),
        custom_domain_variable="DJANGO_AWS_S3_CUSTOM_DOMAIN",
        signing=("querystring_auth", "AWS_QUERYSTRING_AUTH", True),
        acl=("default_acl", "AWS_DEFAULT_ACL", None),
        public_acls=frozenset({"public-read", "public-read-write"}),
        credentials="AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile or a role",
        endpoint_variable="DJANGO_AWS_S3_ENDPOINT_URL",
        disposition_parameter="ResponseContentDisposition",
        lifetime=("querystring_expire", "AWS_QUERYSTRING_EXPIRE", 3600),
    ),
    GoogleCloudStorage(
        name="Google Cloud Storage",
        backends=("storages.backends.gcloud.GoogleCloudStorage",),
        container="bucket",
        bucket=("bucket_name", "GS_BUCKET_NAME", None),
        bucket_variable="DJANGO_GS_BUCKET_NAME",
        overwrite=("file_overwrite", "GS_FILE_OVERWRITE", True),
        custom_domain=("custom_endpoint", "GS_CUSTOM_ENDPOINT", None),
        custom_domain_variable="DJANGO_GS_CUSTOM_ENDPOINT",
        signing=("querystring_auth", "GS_QUERYSTRING_AUTH", True),
        acl=("default_acl", "GS_DEFAULT_ACL", None),
        public_acls=frozenset({"publicRead", "publicReadWrite"}),
        credentials="GOOGLE_APPLICATION_CREDENTIALS or the platform's service account",
        endpoint_variable="storage.googleapis.com",
        disposition_parameter="response_disposition",
        lifetime=("expiration", "GS_EXPIRATION", timedelta(seconds=86400)),
    ),
    AzureBlobStorage(
        name="Azure Blob Storage",
        backends=("storages.backends.azure_storage.AzureStorage",),
        container="container",
        bucket=("azure_container", "AZURE_CONTAINER", None),
        bucket_variable="DJANGO_AZURE_CONTAINER",
        # Azure's name for it differs from S3's and Google's.
        overwrite=("overwrite_files", "AZURE_OVERWRITE_FILES", False),
        custom_domain=("custom_domain", "AZURE_CUSTOM_DOMAIN", None),
        custom_domain_variable="DJANGO_AZURE_CUSTOM_DOMAIN",
        signing=("expiration_secs", "AZURE_URL_EXPIRATION_SECS", None),
        credentials="DJANGO_AZURE_CONNECTION_STRING, or DJANGO_AZURE_ACCOUNT_NAME and _KEY",
        endpoint_variable="DJANGO_AZURE_CONNECTION_STRING or DJANGO_AZURE_ACCOUNT_NAME",
        disposition_parameter="content_disposition",
        lifetime=("expiration_secs", "AZURE_URL_EXPIRATION_SECS", None),
    ),
)
# Object storage backends by dotted path: recognised by name, so no cloud SDK is imported.
BUCKET_BACKENDS = {path: service for service in SERVICES for path in service.backends}


def bucket_service_of(storage_class):
    """The bucket service of a storage class, or of the known backend it subclasses, or None."""
    paths = (f"{cls.__module__}.{cls.__qualname__}" for cls in storage_class.__mro__)
    return next((BUCKET_BACKENDS[path] for path in paths if path in BUCKET_BACKENDS), None)


def bucket_service(name):
    """The bucket service of a storage backend path, or None. Known backends are recognised by
    name; any other path but Django's own is imported, to find a known backend among its
    classes (a project's subclass: configured, so loaded anyway)."""
    if name in BUCKET_BACKENDS or not name or name.startswith("django."):
        return BUCKET_BACKENDS.get(name)
    try:
        return bucket_service_of(import_string(name))
    except ImportError:
        return None


def check_configuration(storage, alias):
    """Raise ConfigurationError, naming the setting, if the storage of a bucket service cannot
    work at all; a storage on this disk always can."""
    service = bucket_service_of(type(storage))
    if service is None:
        return
    try:
        service.probe(storage)
    except Exception as error:  # each SDK has its own; problem() knows them
        # Listing one object fails only when the storage cannot work at all.
        failure = as_configuration_error(storage, error, alias) or ConfigurationError(
            f'STORAGES["{alias}"] ({service.name}): cannot list the {service.container} '
            f"(check {service.bucket_variable} and {service.credentials}): "
            f"{type(error).__name__}: {(str(error).splitlines() or [''])[0]}"
        )
        raise failure from error


def as_configuration_error(storage, error, alias):
    """A ConfigurationError naming the setting, if error means the storage cannot work at all;
    None if it concerns one file only."""
    if isinstance(error, ConfigurationError):
        return error
    service = bucket_service_of(type(storage))
    problem = service and service.problem(storage, error)
    if not problem:
        return None
    return ConfigurationError(f'STORAGES["{alias}"] ({service.name}): {problem}.')
