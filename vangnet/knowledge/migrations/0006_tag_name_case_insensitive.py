"""Tag names are unique regardless of case (0005 merged the existing duplicates)."""

import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0005_tag_names_merge")]

    operations = [
        migrations.AddConstraint(
            model_name="tag",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("name"), name="knowledge_tag_unique_name_ci"
            ),
        ),
    ]
