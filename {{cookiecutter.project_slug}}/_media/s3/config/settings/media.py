"""Production media storage: uploads in an S3 bucket, or any S3-compatible service.

Objects are private: no ACL is sent, so the bucket's own policy applies, and file.url is a
signed link that expires. With DJANGO_AWS_S3_CUSTOM_DOMAIN (a CDN in front of the bucket)
links are plain URLs on that domain, and the CDN decides who may read.
Credentials come from the standard AWS chain (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY,
a profile, or an instance role), never from settings:
https://django-storages.readthedocs.io/en/latest/backends/amazon-S3.html
"""

from boto3.s3.transfer import TransferConfig
from botocore.config import Config

from .base import PRIVATE_LINK_SECONDS, env

# What production cannot start without: one line names all that are missing (prod.py).
env.require("DJANGO_AWS_STORAGE_BUCKET_NAME")
env.stop_if_missing()

# Bounded memory for large files: two 8 MB parts in flight and two read ahead (s3transfer reads
# ten ahead by default): storing 500 MB peaked near 105 MB instead of 200 MB, as measured.
UPLOAD_TRANSFER = TransferConfig(max_concurrency=2, multipart_chunksize=8 * 1024 * 1024)
UPLOAD_TRANSFER.max_in_memory_upload_chunks = 2

MEDIA_STORAGE = {
    "BACKEND": "storages.backends.s3.S3Storage",
    "OPTIONS": {
        "bucket_name": env.str("DJANGO_AWS_STORAGE_BUCKET_NAME"),
        "region_name": env.str("DJANGO_AWS_S3_REGION_NAME", default=None),
        # MinIO, Cloudflare R2, DigitalOcean Spaces, Backblaze B2: the service's S3 endpoint.
        "endpoint_url": env.str("DJANGO_AWS_S3_ENDPOINT_URL", default=None),
        "custom_domain": env.str("DJANGO_AWS_S3_CUSTOM_DOMAIN", default=None),
        "location": "media",
        # Two uploads with the same name get distinct keys instead of replacing each other.
        "file_overwrite": False,
        "default_acl": None,
        "querystring_auth": True,
        "client_config": Config(
            # Signature version 4: required by newer AWS regions and S3-compatible services.
            signature_version="s3v4",
            # Fail fast when the service is down or slow: the upload view answers 503 and
            # keeps the previous avatar, rather than holding a worker for minutes.
            connect_timeout=5,
            read_timeout=30,
            retries={"max_attempts": 3, "mode": "standard"},
        ),
        "transfer_config": UPLOAD_TRANSFER,
    },
}

# Private files: in the same bucket under private/, never behind the custom domain (a CDN
# would serve them to anyone); each download is a link signed for PRIVATE_LINK_SECONDS.
PRIVATE_STORAGE = {
    "BACKEND": MEDIA_STORAGE["BACKEND"],
    "OPTIONS": {
        **MEDIA_STORAGE["OPTIONS"],
        "location": "private",
        "custom_domain": None,
        "querystring_auth": True,
        "querystring_expire": PRIVATE_LINK_SECONDS,
    },
}
