"""The media files the database refers to, for the media management commands."""

from django.apps import apps
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
