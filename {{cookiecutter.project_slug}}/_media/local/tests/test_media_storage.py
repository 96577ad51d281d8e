"""Production keeps uploads on the local disk, for the web server to serve."""

from prod_env import PROD_ENV


def test_production_stores_uploads_on_disk_under_media_root(run_django, tmp_path):
    result = run_django(
        "from django.core.files.storage import storages; s = storages['default']\n"
        "print(type(s).__name__, s.location, s.base_url)",
        "config.settings.prod",
        {**PROD_ENV, "DJANGO_MEDIA_ROOT": str(tmp_path / "media")},
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["FileSystemStorage", str(tmp_path / "media"), "/media/"]
