"""Periodic exchange with the administration, run by `beian worker`.

Off unless settings.BEIAN["AUTHORITY_SYNC"] (BEIAN_AUTHORITY_SYNC=1; `make run`
sets it), so a worker never talks to an administration nobody configured.
"""

from django.conf import settings

from beian.authority import services
from beian.notify.periodic import periodic


def _enabled() -> bool:
    return bool(settings.BEIAN.get("AUTHORITY_SYNC"))


@periodic("authority.sync_downloads", every=120)
def sync_downloads():
    """Fetch, process and acknowledge the administration's results."""
    return services.sync_downloads() if _enabled() else None


@periodic("authority.settle_unknown_uploads", every=300)
def settle_unknown_uploads():
    """Settle uploads whose answer never came (isp_querypreviousupload)."""
    return services.settle_unknown_uploads() if _enabled() else 0


@periodic("authority.retry_set_aside", every=60)
def retry_set_aside():
    """Retry the downloaded results set aside whose next try is due (doubling backoff)."""
    return services.retry_due() if _enabled() else 0
