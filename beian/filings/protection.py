"""An application is never hard-deleted: a pre_delete signal refuses it.

The signal is the one hook that every ORM path passes through: a model's
delete(), a queryset's delete() (the Django admin's bulk action) and a
cascade from another row. An application ends by its workflow (withdrawn,
expired, cancelled), with its audit events; its rows stay for the record.
"""

from __future__ import annotations

from django.db.models.deletion import ProtectedError
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from beian.filings.models import Application


@receiver(pre_delete, sender=Application, dispatch_uid="beian.filings.refuse_application_delete")
def refuse_application_delete(sender, instance, **kwargs):
    raise ProtectedError(
        f"application {instance.number} may not be deleted: it ends by its workflow",
        {instance},
    )
