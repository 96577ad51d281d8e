"""Azure Blob Storage as django-storages provides it, with two fixes:

- the client options (timeouts, retries) apply to a connection string too: django-storages
  passes them only to an account given by name and key;
- listdir() answers as Django's Storage API says, the directories and files directly under a
  path, relative to it: django-storages lists every blob below, by full name, and the whole
  container for the top.
"""

import logging

from azure.storage.blob import BlobServiceClient
from storages.backends.azure_storage import AzureStorage

# The Azure SDK logs every request and response, with their headers, at INFO.
logging.getLogger("azure.core.pipeline.policies.http_logging_policy").setLevel(logging.WARNING)


class MediaStorage(AzureStorage):
    def _get_service_client(self):
        if self.connection_string is None:
            return super()._get_service_client()
        return BlobServiceClient.from_connection_string(
            self.connection_string, **self.client_options
        )

    def listdir(self, path=""):
        prefix = self._get_valid_path(path) if path else self.location
        prefix = f"{prefix.rstrip('/')}/" if prefix else ""
        directories, files = [], []
        for item in self.client.walk_blobs(name_starts_with=prefix, timeout=self.timeout):
            name = item.name.removeprefix(prefix)
            if name.endswith("/"):
                directories.append(name.rstrip("/"))
            else:
                files.append(name)
        return directories, files
