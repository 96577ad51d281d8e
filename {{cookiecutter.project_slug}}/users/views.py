import logging

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render

from .forms import AvatarForm
from .models import User

logger = logging.getLogger(__name__)


@login_required
def profile(request):
    """Show the user's avatar and a form to upload or replace it."""
    if request.method != "POST":
        return render(request, "users/profile.html", {"form": AvatarForm()})

    # The form edits its own copy, so a refused upload never touches request.user,
    # which the page still shows.
    account = User.objects.get(pk=request.user.pk)
    previous = account.avatar.name
    form = AvatarForm(request.POST, request.FILES, instance=account)
    if not form.is_valid():
        return render(request, "users/profile.html", {"form": form}, status=400)
    upload = form.cleaned_data["avatar"]
    if not upload or upload.name == previous:
        return redirect("profile")

    storage = account.avatar.storage
    try:
        account.avatar.save(upload.name, upload, save=False)
    except Exception:  # each backend has its own errors: OSError on disk, botocore's for S3
        logger.exception("Storing the avatar of user %s failed; nothing was changed", account.pk)
        return upload_failed(request)
    try:
        with transaction.atomic():
            account.save(update_fields=["avatar"])
    except Exception:
        logger.exception("Saving the avatar of user %s failed; removing the new file", account.pk)
        storage.delete(account.avatar.name)
        return upload_failed(request)
    if previous:
        # Only once the new name is committed: no row ever points at a deleted file. A file
        # that cannot be deleted now is logged and left, never turned into an error page.
        transaction.on_commit(lambda: storage.delete(previous), robust=True)
    return redirect("profile")


def upload_failed(request):
    """503: the upload is fine, storing it is not possible now; the operator is alerted by it."""
    return render(request, "users/upload_failed.html", status=503)
