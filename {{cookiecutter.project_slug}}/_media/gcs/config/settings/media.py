"""Production media storage: uploads in a Google Cloud Storage bucket.

Objects are private (no ACL is sent, so the bucket's own access control applies), and
file.url is a V4-signed link that expires. With DJANGO_GS_CUSTOM_ENDPOINT (a CDN or load
balancer in front of the bucket) links are plain URLs there, and the CDN decides who may read.
Credentials come from Google's standard chain (GOOGLE_APPLICATION_CREDENTIALS naming a service
account key file, or the platform's service account), never from settings. Without a key file,
as on Cloud Run, links are signed through IAM's signBlob (DJANGO_GS_IAM_SIGN_BLOB):
https://django-storages.readthedocs.io/en/latest/backends/gcloud.html
"""

from datetime import timedelta

from google.cloud.storage.retry import DEFAULT_RETRY

from .base import PRIVATE_LINK_SECONDS, env

# What production cannot start without: one line names all that are missing (prod.py).
env.require("DJANGO_GS_BUCKET_NAME")
env.stop_if_missing()

# Fail fast when the service is down: the upload view answers 503 and keeps the previous
# avatar, rather than holding a worker for minutes. django-storages retries every call with
# the Google client's DEFAULT_RETRY, for up to 120 s, and has no setting to shorten it; this
# bounds that shared policy for the whole process (an outage now answers in about 5 s).
# https://cloud.google.com/storage/docs/retry-strategy#python
DEFAULT_RETRY._timeout = DEFAULT_RETRY._deadline = 10.0

CUSTOM_ENDPOINT = env.str("DJANGO_GS_CUSTOM_ENDPOINT", default=None)

MEDIA_STORAGE = {
    "BACKEND": "storages.backends.gcloud.GoogleCloudStorage",
    "OPTIONS": {
        "bucket_name": env.str("DJANGO_GS_BUCKET_NAME"),
        "project_id": env.str("DJANGO_GS_PROJECT_ID", default=None),
        "custom_endpoint": CUSTOM_ENDPOINT,
        "location": "media",
        # Two uploads with the same name get distinct names instead of replacing each other.
        "file_overwrite": False,
        "default_acl": None,
        # Signed links that expire after an hour; unsigned behind a CDN, which decides itself.
        "querystring_auth": not CUSTOM_ENDPOINT,
        "expiration": timedelta(hours=1),
        "iam_sign_blob": env.bool("DJANGO_GS_IAM_SIGN_BLOB", default=False),
        # Bounded memory for large files: resumable uploads in 8 MB parts, and reads spilled
        # to a temporary file beyond 10 MB (the default keeps a whole file in memory).
        "blob_chunk_size": 8 * 1024 * 1024,
        "max_memory_size": 10 * 1024 * 1024,
    },
}

# Private files: in the same bucket under private/, never behind the custom endpoint (a CDN
# would serve them to anyone); each download is a link signed for PRIVATE_LINK_SECONDS.
PRIVATE_STORAGE = {
    "BACKEND": MEDIA_STORAGE["BACKEND"],
    "OPTIONS": {
        **MEDIA_STORAGE["OPTIONS"],
        "location": "private",
        "custom_endpoint": None,
        "querystring_auth": True,
        "expiration": timedelta(seconds=PRIVATE_LINK_SECONDS),
    },
}
