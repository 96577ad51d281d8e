from django.apps import AppConfig


class PrivateFilesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "private_files"
    verbose_name = "Private files"
