from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render

from .forms import AvatarForm
from .models import User


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

    with transaction.atomic():
        form.save()
        if previous and previous != account.avatar.name:
            # Delete the old file only once the new name is committed: a failed save
            # keeps the old avatar, and no row ever points at a deleted file.
            storage = account.avatar.storage
            transaction.on_commit(lambda: storage.delete(previous))
    return redirect("profile")
