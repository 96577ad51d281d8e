"""The files the database refers to, and where the project's file fields store them, for the
media management commands: by kind, "default" (media: the avatars) or "private" (the private
files), as a field says in its storage_kind (a FileField's is "default")."""

from pathlib import PurePosixPath

from django.apps import apps
from django.core.management.base import CommandError
from django.db import models


def file_fields(kind="default"):
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            is_file = isinstance(field, models.FileField)
            if is_file and getattr(field, "storage_kind", "default") == kind:
                yield model, field


def is_referenced(name, kind="default"):
    """Whether a row refers to the file now."""
    return any(
        model._base_manager.filter(**{field.name: name}).exists()
        for model, field in file_fields(kind)
    )


def referenced_names(kind="default"):
    """Every file name a file field of that kind holds."""
    names = set()
    for model, field in file_fields(kind):
        rows = model._base_manager.exclude(**{field.name: ""})
        names.update(name for name in rows.values_list(field.name, flat=True) if name)
    return names


def upload_directories(kind="default"):
    """The top directory under which each file field stores its files ("" for the top of the
    storage itself), found by asking the field for a name as an upload would."""
    directories = set()
    for model, field in file_fields(kind):
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
