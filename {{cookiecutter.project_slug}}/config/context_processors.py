from django.conf import settings


def site(request):
    """The site's name in every page rendered with a request. It is not called site_name:
    Django's login view sets that to the request's host name."""
    return {"SITE_NAME": settings.SITE_NAME}
