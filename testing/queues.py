"""Many applications in each back-office queue at once, written in bulk, for the
query-count tests and `bench/queues.py`."""

from __future__ import annotations

import datetime as dt
import itertools

from beian.core import clock
from beian.filings import counts
from beian.filings.models import Application, Domain, PhotoVerification, Subject, Website

# (state, originals_state, photo_state) that puts an application in each queue.
STAGE_STATES = {
    "initial_review": ("submitted", "not_required", "not_required"),
    "originals": ("verifying", "awaiting", "not_started"),
    "photos": ("verifying", "received", "photo_uploaded"),
    "backdrops": ("verifying", "received", "backdrop_requested"),
    "ready": ("ready", "received", "verified"),
    "authority_returned": ("authority_returned", "received", "verified"),
}

_serial = itertools.count()


def make_subject(account) -> Subject:
    return Subject.objects.create(
        account=account,
        nature="individual",
        name="张伟",
        certificate_type="resident_id",
        certificate_number="320508199003071239",
        province="320000",
    )


def bulk_applications(
    subject: Subject, stage: str, count: int, *, batch: int = 5000, province: str = "320000"
) -> None:
    """`count` first filings of `subject` waiting in `stage`, each with a website,
    a domain and a photo verification record. Written in bulk, past the workflow,
    so the back office's counters are rebuilt afterwards (as `beian counts --rebuild`)."""
    state, originals, photo = STAGE_STATES[stage]
    for start in range(0, count, batch):
        size = min(batch, count - start)
        now = clock.now()
        apps = Application.objects.bulk_create(
            [
                Application(
                    number=f"Q{next(_serial):012d}",
                    account=subject.account,
                    filing_type="first_filing",
                    state=state,
                    originals_state=originals,
                    photo_state=photo,
                    province=province,
                    subject=subject,
                    created_at=now,
                    deadline=now + dt.timedelta(hours=i % 72 - 24),
                    deadline_kind="initial_review",
                )
                for i in range(size)
            ]
        )
        websites = Website.objects.bulk_create(
            [Website(subject=subject, name=f"站点{a.pk}") for a in apps]
        )
        Domain.objects.bulk_create([Domain(website=w, name=f"site{w.pk}.cn") for w in websites])
        Application.websites.through.objects.bulk_create(
            [Application.websites.through(application=a, website=w) for a, w in zip(apps, websites)]
        )
        PhotoVerification.objects.bulk_create(
            [
                PhotoVerification(application=a, shipping_address="江苏省苏州市姑苏区人民路100号")
                for a in apps
            ]
        )
    counts.rebuild()
