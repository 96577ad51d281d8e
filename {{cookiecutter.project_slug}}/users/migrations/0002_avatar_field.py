# The avatar field stores a re-encoded image (users.models.AvatarField); no schema change.

from django.db import migrations

import users.avatars
import users.models


class Migration(migrations.Migration):
    dependencies = [
        ("users", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="avatar",
            field=users.models.AvatarField(
                blank=True,
                upload_to=users.avatars.avatar_path,
                validators=[users.avatars.validate_avatar],
            ),
        ),
    ]
