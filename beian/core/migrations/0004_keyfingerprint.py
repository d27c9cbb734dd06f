from django.db import migrations, models


def record_key(apps, schema_editor):
    """The key configured when this runs is the data's key: on a fresh database
    trivially; on an upgraded one, the key it has been read with all along."""
    from beian.core.keys import fingerprint

    KeyFingerprint = apps.get_model("core", "KeyFingerprint")
    KeyFingerprint.objects.get_or_create(pk=1, defaults={"fingerprint": fingerprint()})


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_audit_chain"),
    ]

    operations = [
        migrations.CreateModel(
            name="KeyFingerprint",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("fingerprint", models.CharField(max_length=64)),
                ("recorded_at", models.DateTimeField(auto_now_add=True)),
            ],
        ),
        migrations.RunPython(record_key, migrations.RunPython.noop),
    ]
