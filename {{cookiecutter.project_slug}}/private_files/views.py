import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from users.avatars import megabytes

from . import serving
from .forms import PrivateFileForm
from .models import PrivateFile

logger = logging.getLogger(__name__)


@login_required
def files(request):
    """The user's private files, and a form to upload another."""
    form, status = PrivateFileForm(), 200
    if request.method == "POST":
        form = PrivateFileForm(
            request.POST, request.FILES, instance=PrivateFile(owner=request.user)
        )
        if form.is_valid():
            try:
                stored = form.save()  # the file first, then the row; a failure leaves neither
            except Exception as error:  # each backend has its own: OSError, botocore's...
                logger.error(
                    "Storing a private file of user %s failed", request.user.pk, exc_info=error
                )
                return render(request, "private_files/upload_failed.html", status=503)
            messages.success(request, f"{stored.name} is saved.")
            return redirect("files")
        status = 400
    context = {
        "form": form,
        "files": request.user.private_files.all(),
        "limit": megabytes(settings.MAX_PRIVATE_FILE_SIZE),
    }
    return render(request, "private_files/files.html", context, status=status)


def visible_to(user):
    """The files a user may fetch: their own; staff, every one."""
    return PrivateFile.objects.all() if user.is_staff else PrivateFile.objects.filter(owner=user)


@login_required
@require_safe
def download(request, pk):
    # Someone else's file is a 404, as a file that does not exist: nothing says it does.
    private_file = get_object_or_404(visible_to(request.user), pk=pk)
    return serving.download(request, private_file.file, private_file.name)


@login_required
@require_POST
def delete(request, pk):
    private_file = get_object_or_404(PrivateFile, pk=pk, owner=request.user)
    private_file.delete()  # the stored file goes once the deletion is committed
    messages.success(request, f"{private_file.name} is deleted.")
    return redirect("files")
