from django import forms
from django.conf import settings

from users.avatars import megabytes

from .models import PrivateFile


class PrivateFileForm(forms.ModelForm):
    class Meta:
        model = PrivateFile
        fields = ["file"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.MAX_PRIVATE_FILE_SIZE:
            limit = megabytes(settings.MAX_PRIVATE_FILE_SIZE)
            raise forms.ValidationError(
                f"This file is {megabytes(upload.size)}; the limit is {limit}.", code="too_large"
            )
        return upload
