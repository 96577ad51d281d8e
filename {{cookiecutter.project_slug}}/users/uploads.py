"""What the profile page and the admin share when an avatar change cannot be stored."""

import logging

from django.shortcuts import render

logger = logging.getLogger(__name__)


def avatar_not_saved(request, account, action, error):
    """The page for an avatar change that could not be stored, with the cause logged. The
    model has removed any new file, and the transaction is rolled back: nothing changed."""
    logger.error(
        "%s the avatar of user %s failed; nothing was changed",
        action,
        account.pk,
        exc_info=error,
    )
    return render(request, "users/upload_failed.html", status=503)
