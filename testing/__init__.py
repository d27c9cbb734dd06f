"""Test builders and loopback servers (not shipped: the tests' own package).

The seed's story builders live in `beian.demo.seed` (the demo loads them too) and
are re-exported here, with what only the tests need: `drive_to`, the loopback
DNS server (`testing.dns`) and Beian and the simulator served on loopback
(`testing.servers`).
"""

from __future__ import annotations

from beian.authority.existing import file_here
from beian.demo.seed import (  # noqa: F401 - the tests' one import surface
    FILING_PASSWORD,
    SEED_EMAIL,
    SEED_ID,
    SEED_MOBILE,
    fill_seed_filing,
    id_number,
    make_code,
    make_server,
    make_user,
    photo_upload,
    seed_principal,
    start_seed_filing,
    upload_required_materials,
)
from beian.filings import workflow
from beian.filings.approval import missing_numbers
from beian.filings.states import ApplicationState as S
from beian.filings.states import OriginalsState as O
from beian.filings.states import PhotoState as P


def numbers_from_simulator(app) -> dict:
    """The approval data of `app`: the numbers it needs, issued by the simulator (its tables
    share the test database), never by Beian; none when it needs none (changes, cancels)."""
    if not missing_numbers(app, {}):
        return {}
    return file_here([app])[app.pk]


def drive_to(app, staff: dict, target: str = "approved"):
    """Fire the events that take `app` from where it is to `target`, along its
    filing type's path. Staff is a dict by role (the `staff` fixture)."""
    applicant = app.account
    point = {"verification_point": "苏州姑苏核验点"}
    originals = {"documents": {"verification_form": 3, "security_agreement": 3}}
    steps = {
        S.DRAFT: lambda a: ("submit", applicant, {}),
        S.RETURNED: lambda a: ("resubmit", applicant, {}),
        S.SUBMITTED: lambda a: ("approve_initial_review", staff["reviewer"], {}),
        S.VERIFYING: lambda a: (
            ("choose_verification_point", applicant, point)
            if a.photo_state == P.NOT_STARTED
            else ("take_point_photo", staff["photo_verifier"], {"photo": photo_upload()})
            if a.photo_state == P.POINT_CHOSEN
            else ("verify_photo", staff["photo_verifier"], {})
            if a.photo_state == P.PHOTO_UPLOADED
            else ("receive_originals", staff["mailroom"], originals)
            if a.originals_state != O.RECEIVED
            else None
        ),
        S.READY: lambda a: ("submit_to_authority", staff["operator"], {}),
        S.AUTHORITY_SUBMITTED: lambda a: ("authority_received", staff["authority"], {}),
        S.SMS_VERIFICATION: lambda a: ("sms_verified", staff["authority"], {}),
        S.AUTHORITY_REVIEW: lambda a: (
            ("authority_reject", staff["authority"], {"reasons": [{"text": "网站名称与内容不符"}]})
            if target == S.REJECTED
            else ("authority_approve", staff["authority"], numbers_from_simulator(a))
        ),
    }
    while app.state != target:
        step = steps.get(app.state, lambda a: None)(app)
        if step is None:
            raise AssertionError(f"cannot drive {app} towards {target}")
        event, actor, data = step
        app = workflow.fire(app, event, actor=actor, data=data)
    return app
