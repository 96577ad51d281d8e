"""System checks for media in a bucket: settings that lose uploads, publish them, or name a
bucket the service would refuse. They read settings only (services.py describes each service),
so no cloud SDK is imported and nothing is sent. docs/checks.md lists them.
"""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from .checks import backend
from .services import bucket_service


def media_option(name, setting, default):
    """A media storage option as django-storages reads it: OPTIONS, then the global setting."""
    options = settings.STORAGES["default"].get("OPTIONS", {})
    return options.get(name, getattr(settings, setting, default))


def overwriting(service):
    overwrite = service.overwrite[0]
    if not media_option(*service.overwrite):
        return []
    return [
        Error(
            f"{service.name} media storage has {overwrite} on: two uploads with the same "
            "name would replace one another.",
            hint=f'Set STORAGES["default"]["OPTIONS"]["{overwrite}"] = False.',
            id="storage.E009",
        )
    ]


def bucket_name(service):
    option = service.bucket[0]
    name = media_option(*service.bucket)
    hint = f'Set {service.bucket_variable}, read into STORAGES["default"]["OPTIONS"]["{option}"].'
    if not name:
        return [
            Error(
                f"{service.name} media storage has no bucket name ({option}).",
                hint=hint,
                id="storage.E010",
            )
        ]
    refused = service.refused_name(name)
    if not refused:
        return []
    return [
        Error(
            f"{service.name} refuses the {service.container} name {name!r} ({option}): {refused}.",
            hint=hint,
            id="storage.E016",
        )
    ]


def public_objects(service):
    public = service.public_links(media_option)
    if not public or media_option(*service.custom_domain):
        return []
    return [
        Warning(
            f"{service.name} media objects are {public}, with no custom domain: anyone "
            "can read every upload straight from the bucket, for ever.",
            hint="Keep objects private and serve them through signed URLs, or through a "
            f"CDN on its own domain ({service.custom_domain_variable}).",
            id="storage.W011",
        )
    ]


@register(Tags.files)
def check_bucket_media(app_configs, **kwargs):
    service = bucket_service(backend("default"))
    if service is None:
        return []
    return [*overwriting(service), *bucket_name(service), *public_objects(service)]
