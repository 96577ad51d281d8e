"""The environment production needs, with throwaway values for tests."""

PROD_ENV = {
    "DJANGO_SECRET_KEY": "a-production-secret-long-enough-for-the-deploy-check-0123456789",
    "DATABASE_URL": "sqlite:///:memory:",
    "DJANGO_GS_BUCKET_NAME": "uploads",
}
