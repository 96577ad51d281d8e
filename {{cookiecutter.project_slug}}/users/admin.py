from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

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
    fieldsets = [*UserAdmin.fieldsets, ("Profile", {"fields": ["avatar"]})]

    def save_model(self, request, obj, form, change):
        try:
            super().save_model(request, obj, form, change)
        except Exception as error:
            if "avatar" not in form.changed_data:
                raise
            raise AvatarNotSaved(obj, error) from error

    def changeform_view(self, request, *args, **kwargs):
        # The same 503 page as the profile page's, not a bare 500.
        try:
            return super().changeform_view(request, *args, **kwargs)
        except AvatarNotSaved as failure:
            return avatar_not_saved(request, failure.account, "Storing", failure.error)
