"""Azure Blob Storage as django-storages provides it, with the client options (timeouts,
retries) applied to a connection string too: django-storages passes them only to an account
given by name and key.
"""

from azure.storage.blob import BlobServiceClient
from storages.backends.azure_storage import AzureStorage


class MediaStorage(AzureStorage):
    def _get_service_client(self):
        if self.connection_string is None:
            return super()._get_service_client()
        return BlobServiceClient.from_connection_string(
            self.connection_string, **self.client_options
        )
