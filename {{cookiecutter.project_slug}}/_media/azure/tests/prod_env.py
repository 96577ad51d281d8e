"""The environment production needs, with throwaway values for tests."""

PROD_ENV = {
    "DJANGO_SECRET_KEY": "a-production-secret-long-enough-for-the-deploy-check-0123456789",
    "DATABASE_URL": "sqlite:///:memory:",
    "DJANGO_AZURE_CONTAINER": "uploads",
    # Signing a URL is local arithmetic with the key; nothing here is sent anywhere.
    "DJANGO_AZURE_ACCOUNT_NAME": "testaccount",
    "DJANGO_AZURE_ACCOUNT_KEY": "dGVzdGluZy1rZXktbm90LWEtc2VjcmV0",
}
