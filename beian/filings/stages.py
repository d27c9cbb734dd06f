"""The back office's queues ("stages"): one definition, for the queues and the digest.

A stage is a workflow fact: which applications wait in it (a condition on the
states), which events take them out of it, and the deadline it works against.
Who works a stage is not written again here: it is whoever the transition
table lets fire those events (`roles`). The review app shows the stages as
queues and dashboards; the staff digest (`filings.jobs`) counts their deadlines.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from beian.core.deadlines import DeadlineKind
from beian.filings.states import ApplicationState as S
from beian.filings.states import OriginalsState as O
from beian.filings.states import PhotoState as P
from beian.filings.transitions import TABLE


@dataclass(frozen=True)
class Stage:
    key: str
    label: tuple[str, str]
    condition: Q
    events: tuple[str, ...]  # the events that take an application out of this stage
    deadline_kind: str = ""  # the deadline the stage works against ("" = none)

    @property
    def roles(self) -> frozenset[str]:
        """The roles that may fire the stage's events (the transition table's say)."""
        return frozenset().union(*(row.roles for row in TABLE if row.event in self.events))

    def holds(self, app) -> bool:
        """Whether `app` (a row in memory) meets `condition`, read from the same Q:
        the counters (`filings/counts.py`) ask this where the queues filter."""
        return _meets(self.condition, app)

    @property
    def text(self) -> str:
        """Both languages in one line, for messages (the staff digest)."""
        return f"{self.label[0]} / {self.label[1]}"


def _meets(q: Q, app) -> bool:
    """A Q of plain AND-ed `field` / `field__in` terms, evaluated on a model instance.
    Any other shape raises, so a stage written otherwise fails its tests at once."""
    if q.connector != Q.AND or q.negated:
        raise ValueError(f"stage condition not supported: {q!r}")
    for child in q.children:
        if isinstance(child, Q):
            if not _meets(child, app):
                return False
            continue
        lookup, value = child
        name, _, op = lookup.partition("__")
        current = getattr(app, name)
        if op == "":
            ok = current == value
        elif op == "in":
            ok = current in value
        else:
            raise ValueError(f"stage condition not supported: {lookup}")
        if not ok:
            return False
    return True


STAGES: tuple[Stage, ...] = (
    Stage(
        "initial_review",
        ("待初审", "Initial review"),
        Q(state=S.SUBMITTED),
        ("approve_initial_review", "return_to_applicant"),
        DeadlineKind.INITIAL_REVIEW,
    ),
    Stage(
        "originals",
        ("待收原件", "Originals"),
        Q(state=S.VERIFYING, originals_state__in=[O.AWAITING, O.DISCREPANCY]),
        ("receive_originals", "record_originals_discrepancy"),
    ),
    Stage(
        "photos",
        ("待核验照片", "Photos"),
        Q(state=S.VERIFYING, photo_state__in=[P.PHOTO_UPLOADED, P.POINT_CHOSEN]),
        ("take_point_photo", "verify_photo", "reject_photo"),
    ),
    Stage(
        # A backdrop waits to be shipped while the photo track says it was
        # requested; the delivery deadline is set and cleared with that state.
        "backdrops",
        ("待寄幕布", "Backdrops to ship"),
        Q(state=S.VERIFYING, photo_state=P.BACKDROP_REQUESTED),
        ("ship_backdrop",),
        DeadlineKind.BACKDROP_DELIVERY,
    ),
    Stage(
        "ready",
        ("待提交管局", "Ready to submit"),
        Q(state=S.READY),
        ("submit_to_authority",),
        DeadlineKind.SUBMISSION,
    ),
    Stage(
        "authority_returned",
        ("管局退回", "Returned by the administration"),
        Q(state=S.AUTHORITY_RETURNED),
        ("resubmit_to_authority", "return_after_authority"),
        DeadlineKind.SUBMISSION,
    ),
)
STAGE_BY_KEY = {s.key: s for s in STAGES}
