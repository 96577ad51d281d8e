"""
WSGI config for the project: the production web process (Procfile) serves `application`.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import os

from django.core.wsgi import get_wsgi_application

from config.static import with_static_files

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")

application = with_static_files(get_wsgi_application())
