import contextlib

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.utils.html import format_html

from .avatars import avatar_for
from .models import User
from .uploads import avatar_not_saved


class AvatarNotSaved(Exception):
    """A changed avatar could not be stored; raised out of the admin's transaction, so that
    it rolls back before the page saying so is shown."""

    def __init__(self, account, error):
        super().__init__(account, error)
        self.account, self.error = account, error


@admin.register(User)
class ProjectUserAdmin(UserAdmin):
    fieldsets = [*UserAdmin.fieldsets, ("Profile", {"fields": ["avatar_preview", "avatar"]})]
    readonly_fields = ["avatar_preview"]

    @admin.display(description="Avatar as shown")
    def avatar_preview(self, obj):
        if not obj.avatar:
            return "No avatar"
        return format_html('<img src="{}" alt="" height="128">', obj.avatar.url)

    def save_model(self, request, obj, form, change):
        try:
            super().save_model(request, obj, form, change)
        except Exception as error:
            if "avatar" not in form.changed_data:
                raise
            raise AvatarNotSaved(obj, error) from error

    def changeform_view(self, request, *args, **kwargs):
        # The image is read before the admin opens its transaction; its form reuses the result.
        for upload in request.FILES.getlist("avatar"):
            with contextlib.suppress(ValidationError):  # the form shows it
                avatar_for(upload)
        # The same 503 page as the profile page's, not a bare 500.
        try:
            return super().changeform_view(request, *args, **kwargs)
        except AvatarNotSaved as failure:
            return avatar_not_saved(request, failure.account, "Storing", failure.error)
