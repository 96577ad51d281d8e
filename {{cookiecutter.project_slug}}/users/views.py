from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .forms import AvatarForm
from .models import User
from .uploads import avatar_not_saved


@login_required
def profile(request):
    """Show the user's avatar and a form to upload or replace it."""
    if request.method != "POST":
        return render(request, "users/profile.html", {"form": AvatarForm()})

    # The form edits its own copy, so a refused upload never touches request.user,
    # which the page still shows.
    account = User.objects.get(pk=request.user.pk)
    form = AvatarForm(request.POST, request.FILES, instance=account)
    if not form.is_valid():
        return render(request, "users/profile.html", {"form": form}, status=400)
    if not form.cleaned_data["avatar"] or "avatar" not in form.changed_data:
        return redirect("profile")
    # The model stores the new image, then the row; the old file goes once that is committed.
    return save_or_503(request, account, "Storing", "Your new avatar is saved.")


@login_required
@require_POST
def remove_avatar(request):
    account = User.objects.get(pk=request.user.pk)
    if account.avatar:
        account.avatar = None
        return save_or_503(request, account, "Removing", "Your avatar is removed.")
    return redirect("profile")


def save_or_503(request, account, action, success):
    """Save the account's avatar change and say so on the profile page, or show the 503 page."""
    try:
        account.save(update_fields=["avatar"])
    except Exception as error:  # each backend has its own: OSError on disk, botocore's for S3
        return avatar_not_saved(request, account, action, error)
    messages.success(request, success)
    return redirect("profile")
