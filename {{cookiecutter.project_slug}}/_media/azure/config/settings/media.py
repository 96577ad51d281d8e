"""Production media storage: uploads in an Azure Blob Storage container.

Objects are private (the container allows no anonymous reads), and file.url is a link signed
with a shared access signature (SAS) that expires. With DJANGO_AZURE_CUSTOM_DOMAIN (a CDN in
front of the container) links are plain URLs on that domain, and the CDN decides who may read.
The account comes from a connection string, or from its name and key; the key signs links:
https://django-storages.readthedocs.io/en/latest/backends/azure.html
"""

from azure.storage.blob import ExponentialRetry

from .base import PRIVATE_LINK_SECONDS, env

# What production cannot start without: one line names all that are missing (prod.py).
env.require("DJANGO_AZURE_CONTAINER")
if not env.str("DJANGO_AZURE_CONNECTION_STRING", default=""):
    env.require(
        "DJANGO_AZURE_ACCOUNT_NAME",
        "DJANGO_AZURE_ACCOUNT_KEY",
        described="DJANGO_AZURE_CONNECTION_STRING (or both DJANGO_AZURE_ACCOUNT_NAME and "
        "DJANGO_AZURE_ACCOUNT_KEY)",
    )
env.stop_if_missing()


def account():
    """The storage account's settings: a connection string, or a name with its key."""
    connection_string = env.str("DJANGO_AZURE_CONNECTION_STRING", default="")
    if connection_string:
        return {"connection_string": connection_string}
    return {
        "account_name": env.str("DJANGO_AZURE_ACCOUNT_NAME"),
        "account_key": env.str("DJANGO_AZURE_ACCOUNT_KEY"),
    }


CUSTOM_DOMAIN = env.str("DJANGO_AZURE_CUSTOM_DOMAIN", default=None)

MEDIA_STORAGE = {
    # django-storages' AzureStorage, with these client options for connection strings too.
    "BACKEND": "config.storage.MediaStorage",
    "OPTIONS": {
        "azure_container": env.str("DJANGO_AZURE_CONTAINER"),
        **account(),
        "custom_domain": CUSTOM_DOMAIN,
        "location": "media",
        # Azure's name for S3's file_overwrite: two uploads with the same name get distinct
        # names instead of replacing each other.
        "overwrite_files": False,
        # Signed links that expire after an hour; unsigned behind a CDN, which decides itself.
        "expiration_secs": None if CUSTOM_DOMAIN else 3600,
        # Fail fast when the service is down or slow: the upload view answers 503 and keeps
        # the previous avatar, rather than holding a worker for minutes.
        "timeout": 30,
        "client_options": {
            "connection_timeout": 5,
            "read_timeout": 30,
            # Two retries, about 3 and 5 s apart (Azure's default: about 18, then 24 s).
            "retry_policy": ExponentialRetry(
                initial_backoff=1, increment_base=2, retry_total=2, random_jitter_range=1
            ),
            # Bounded memory for large files: over 4 MB, blocks of 4 MB (Azure's default sends
            # a file of up to 64 MB whole, from memory)...
            "max_single_put_size": 4 * 1024 * 1024,
        },
        # ...two in flight.
        "upload_max_conn": 2,
    },
}

# Private files: in the same container under private/, never behind the custom domain (a CDN
# would serve them to anyone); each download is a link signed for PRIVATE_LINK_SECONDS.
PRIVATE_STORAGE = {
    "BACKEND": MEDIA_STORAGE["BACKEND"],
    "OPTIONS": {
        **MEDIA_STORAGE["OPTIONS"],
        "location": "private",
        "custom_domain": None,
        "expiration_secs": PRIVATE_LINK_SECONDS,
    },
}
