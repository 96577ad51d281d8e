from django.apps import AppConfig


class MediaStorageConfig(AppConfig):
    name = "media_storage"
    verbose_name = "Media storage: checks and commands"

    def ready(self):
        from . import bucket_checks, checks, deploy_checks  # noqa: F401  (registers the checks)
