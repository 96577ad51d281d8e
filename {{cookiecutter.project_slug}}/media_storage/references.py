"""The media files the database refers to, and where the project's file fields store them, for
the media management commands."""

from pathlib import PurePosixPath

from django.apps import apps
from django.core.management.base import CommandError
from django.db import models


def file_fields():
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                yield model, field


def is_referenced(name):
    """Whether a row refers to the file now."""
    return any(
        model._base_manager.filter(**{field.name: name}).exists() for model, field in file_fields()
    )


def referenced_names():
    """Every file name a FileField (or ImageField) row holds."""
    names = set()
    for model, field in file_fields():
        rows = model._base_manager.exclude(**{field.name: ""})
        names.update(name for name in rows.values_list(field.name, flat=True) if name)
    return names


def upload_directories():
    """The top directory under which each file field stores its files ("" for the top of the
    storage itself), found by asking the field for a name as an upload would."""
    directories = set()
    for model, field in file_fields():
        try:
            name = field.generate_filename(model(), "file")
        except Exception as error:  # a project's upload_to may need a saved row
            raise CommandError(
                f"Cannot tell where {model._meta.label}.{field.name} stores its files: "
                f"{type(error).__name__}: {error}"
            ) from None
        parts = PurePosixPath(name).parts
        directories.add(parts[0] if len(parts) > 1 else "")
    return directories
