"""The Procfile's web process: Django's WSGI application behind config/web_front.py, which
reads request bodies and answers hashed static files in granian's event loop."""

import os

from django.core.wsgi import get_wsgi_application

from config.web_front import WebFront

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")

application = WebFront(get_wsgi_application())
