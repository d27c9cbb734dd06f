"""The simulator finds a subject by the keyed hash of its certificate number and
a challenge by the keyed hash of its phone; the clear values go (the number is
in the encrypted `data`, the phone is kept encrypted)."""

from django.db import migrations, models

import beian.core.fields
from beian.core import crypto


def _hash_and_encrypt(apps, schema_editor):
    # Raw SQL: the historical models would try to decrypt the clear values.
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id, certificate_number FROM authority_sim_subject")
        for pk, number in cursor.fetchall():
            cursor.execute(
                "UPDATE authority_sim_subject SET certificate_hash = %s WHERE id = %s",
                [crypto.lookup_hash(number or ""), pk],
            )
        cursor.execute("SELECT id, phone FROM authority_sim_sms")
        for pk, phone in cursor.fetchall():
            cursor.execute(
                "UPDATE authority_sim_sms SET phone_hash = %s, phone = %s WHERE id = %s",
                [crypto.lookup_hash(phone) if phone else "", crypto.encrypt(phone or ""), pk],
            )


class Migration(migrations.Migration):
    dependencies = [
        ("authority", "0003_encrypted_at_rest"),
    ]

    operations = [
        migrations.AddField(
            model_name="simsubject",
            name="certificate_hash",
            field=models.CharField(db_index=True, default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="simsmschallenge",
            name="phone_hash",
            field=models.CharField(db_index=True, default="", max_length=64),
        ),
        migrations.AlterField(
            model_name="simsmschallenge",
            name="phone",
            field=beian.core.fields.EncryptedTextField(),
        ),
        migrations.RunPython(_hash_and_encrypt, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="simsubject",
            name="certificate_number",
        ),
    ]
