from django.apps import AppConfig


class StorageChecksConfig(AppConfig):
    name = "storage_checks"
    verbose_name = "Media and static file checks"

    def ready(self):
        from . import checks  # noqa: F401  (registers the checks)
