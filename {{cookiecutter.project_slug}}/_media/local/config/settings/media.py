"""Production media storage: uploads on the local disk under MEDIA_ROOT.

The web server serves MEDIA_URL straight from MEDIA_ROOT (deploy/nginx.conf); Django never
streams an upload in production. Private files are on this disk too, under PRIVATE_ROOT, sent
by the web server in front once the download view says yes (private_files/serving.py).
"""

MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
PRIVATE_STORAGE = {"BACKEND": "private_files.storage.PrivateFileSystemStorage"}
