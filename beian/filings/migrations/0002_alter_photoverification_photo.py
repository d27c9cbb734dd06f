import beian.core.storage
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("filings", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="photoverification",
            name="photo",
            field=models.FileField(blank=True, storage=beian.core.storage.get_private_storage, upload_to="photos/%Y/%m/"),
        ),
    ]
