"""Secret parts of messages: an encrypted `secret` column, the recorded SMS text
encrypted, and the rows written before redacted (decision 0017)."""

import json

from django.db import migrations

import beian.core.fields
from beian.core import crypto

# The secret templates and keys when this migration was written (catalog.SECRETS).
_SECRET_KEYS = {
    "sms_code": ("code",),
    "account_password_reset": ("link",),
    "account_email_confirm": ("link",),
}
_REDACTED = "******"


def _redact_and_encrypt(apps, schema_editor):
    # Raw SQL: the historical models would try to decrypt the clear values.
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id, text FROM notify_recordedsms")
        for pk, text in cursor.fetchall():
            cursor.execute(
                "UPDATE notify_recordedsms SET text = %s WHERE id = %s",
                [crypto.encrypt(text or ""), pk],
            )
        templates = list(_SECRET_KEYS)
        marks = ", ".join(["%s"] * len(templates))
        cursor.execute(
            f"SELECT id, template, context, subject, body, html FROM notify_message "  # noqa: S608
            f"WHERE template IN ({marks})",
            templates,
        )
        for pk, template, context, subject, body, html in cursor.fetchall():
            context = json.loads(context) if isinstance(context, str) else (context or {})
            for key in _SECRET_KEYS[template]:
                value = str(context.get(key) or "")
                if not value:
                    continue
                context[key] = _REDACTED
                subject = (subject or "").replace(value, _REDACTED)
                body = (body or "").replace(value, _REDACTED)
                # The HTML part holds the value escaped (&amp; in a link).
                html = (html or "").replace(value, _REDACTED)
                html = html.replace(value.replace("&", "&amp;"), _REDACTED)
            cast = "::jsonb" if schema_editor.connection.vendor == "postgresql" else ""
            cursor.execute(
                f"UPDATE notify_message SET context = %s{cast}, subject = %s, body = %s, "  # noqa: S608
                "html = %s WHERE id = %s",
                [json.dumps(context, ensure_ascii=False), subject, body, html, pk],
            )


class Migration(migrations.Migration):
    dependencies = [
        ("notify", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="message",
            name="secret",
            field=beian.core.fields.EncryptedTextField(blank=True, default=""),
        ),
        migrations.AlterField(
            model_name="recordedsms",
            name="text",
            field=beian.core.fields.EncryptedTextField(),
        ),
        migrations.RunPython(_redact_and_encrypt, migrations.RunPython.noop),
    ]
