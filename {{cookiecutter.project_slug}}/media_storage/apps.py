from django.apps import AppConfig


class MediaStorageConfig(AppConfig):
    name = "media_storage"
    verbose_name = "Media storage: checks and commands"

    def ready(self):
        # Importing the modules registers their checks.
        from . import bucket_checks, checks, deploy_checks, private_checks  # noqa: F401
