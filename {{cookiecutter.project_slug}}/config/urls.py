from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from config.middleware import too_large
from config.views import PasswordResetView, favicon
from private_files import views as private_files
from users.throttling import throttle_password_resets
from users.views import profile, remove_avatar

urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    path(
        "accounts/password_reset/",
        throttle_password_resets(PasswordResetView.as_view()),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("profile/", profile, name="profile"),
    path("profile/avatar/remove/", remove_avatar, name="remove_avatar"),
    path("files/", private_files.files, name="files"),
    path("files/<uuid:pk>/", private_files.download, name="download_file"),
    path("files/<uuid:pk>/delete/", private_files.delete, name="delete_file"),
    path("admin/", admin.site.urls),
    path("errors/413/", too_large, name="too_large"),
    path("favicon.ico", favicon),
]

# Rendered without the request: see config/views.py. 400, 403 and 404 use Django's own views
# with the templates of the same names.
handler500 = "config.views.server_error"

admin.site.site_header = admin.site.site_title = settings.SITE_NAME
admin.site.index_title = "Administration"

if settings.DEBUG:
    # Development only: Django serves uploads itself. In production the web server or the
    # object store does, never Django: https://docs.djangoproject.com/en/5.2/howto/static-files/
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
