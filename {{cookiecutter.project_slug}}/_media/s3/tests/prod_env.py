"""The environment production needs, with throwaway values for tests."""

PROD_ENV = {
    "DJANGO_SECRET_KEY": "a-production-secret-long-enough-for-the-deploy-check-0123456789",
    "DATABASE_URL": "sqlite:///:memory:",
    "DJANGO_AWS_STORAGE_BUCKET_NAME": "uploads",
    "DJANGO_AWS_S3_REGION_NAME": "eu-west-1",
    "DJANGO_AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9",
    # Signing a URL is local arithmetic; these keys are never sent anywhere.
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
}
