from django import forms

from .models import User


class AvatarForm(forms.ModelForm):
    # No max_length: the stored name is generated (users/avatars.py), so the length of the
    # user's own file name does not matter.
    avatar = forms.ImageField(
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
    )

    class Meta:
        model = User
        fields = ["avatar"]
