from django import forms

from .avatars import MEDIA_TYPES
from .models import User


class AvatarForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["avatar"]
        widgets = {"avatar": forms.FileInput(attrs={"accept": ",".join(MEDIA_TYPES)})}
