from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from .models import PrivateFile, PrivateFileField


@admin.register(PrivateFile)
class PrivateFileAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "size", "uploaded", "download"]
    list_select_related = ["owner"]
    search_fields = ["name", "owner__username"]
    fields = ["owner", "name", "file", "size", "uploaded"]
    readonly_fields = ["size", "uploaded"]
    # A plain file input: the usual one links to the file's URL, which a private file has not.
    formfield_overrides = {PrivateFileField: {"widget": forms.FileInput}}

    @admin.display(description="Download")
    def download(self, obj):
        # Through the view, as for anyone: the file has no URL of its own.
        return format_html('<a href="{}">Download</a>', reverse("download_file", args=[obj.pk]))
