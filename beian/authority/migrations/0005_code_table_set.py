from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("authority", "0004_sim_lookup_hashes"),
    ]

    operations = [
        migrations.CreateModel(
            name="CodeTableSet",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("tables", models.JSONField()),
                ("digest", models.CharField(max_length=64)),
                ("source", models.CharField(blank=True, max_length=128)),
                ("stored_at", models.DateTimeField()),
            ],
            options={"ordering": ["-pk"]},
        ),
    ]
