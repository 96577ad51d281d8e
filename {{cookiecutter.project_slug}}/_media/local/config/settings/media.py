"""Production media storage: uploads on the local disk under MEDIA_ROOT.

The web server serves MEDIA_URL straight from MEDIA_ROOT (deploy/nginx.conf); Django never
streams an upload in production.
"""

MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
