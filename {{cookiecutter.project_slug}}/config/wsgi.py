"""
WSGI config for the site: runserver, and any WSGI server (the Procfile runs config/asgi.py,
which wraps the same application).

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import os

from django.core.wsgi import get_wsgi_application

from config.static_front import StaticFront

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")

application = StaticFront(get_wsgi_application())
