"""The simulated provincial system: what it does with each call, decision and SMS answer.

It authenticates the caller, decodes and checks the upload (hash, decryption, zip, XSD),
enforces ``dataSequence`` (code 14 lists the gaps), keeps the filings it approved (numbers
from a per-province, per-year counter), runs MIIT's SMS verification, and leaves its answers
as download files. Everything here runs in the simulator's own process and database.

One module per part, each importing only those above it in this list:

- ``base``: the simulator's state, ids, record look-ups and the download queue;
- ``auth``: authentication of a call;
- ``passwords``: the filing password (备案密码): issued on approval, reset, relayed;
- ``decisions``: approve, reject, the automatic schedule, filings made elsewhere;
- ``sms``: MIIT's SMS verification;
- ``receiving``: an accepted upload becomes requests;
- ``timers``: expiry, automatic decisions, SMS delivery (``tick``);
- ``initiatives``: what the administration starts itself (cancel, change notice,
  verification task);
- ``faults``: faults on demand;
- ``methods``: the six methods of the interface and ``handle``.

Callers use this package (``from beian.authority.sim import services``); it names
each part's public functions.
"""

from beian.authority.sim.services.auth import authenticate
from beian.authority.sim.services.base import (
    Answer,
    knob,
    new_id,
    queue_code_tables,
    queue_download,
    state,
)
from beian.authority.sim.services.decisions import (
    approve,
    file_existing,
    next_number,
    record_phone_check,
    reject,
    seed_external_filing,
)
from beian.authority.sim.services.faults import inject_fault, take_faults
from beian.authority.sim.services.initiatives import (
    cancel_record,
    send_notice,
    send_verification_task,
)
from beian.authority.sim.services.methods import (
    HANDLERS,
    handle,
    isp_download,
    isp_downloadack,
    isp_querybeianstatus,
    isp_querypreviousupload,
    isp_upload,
    isp_verifybamm,
)
from beian.authority.sim.services.passwords import (
    PasswordRefusal,
    issue_password,
    reset_password,
)
from beian.authority.sim.services.receiving import receive
from beian.authority.sim.services.sms import SmsRefusal, resend_sms, verify_sms
from beian.authority.sim.services.timers import deliver_sms, sign, tick

__all__ = [
    "HANDLERS",
    "Answer",
    "PasswordRefusal",
    "SmsRefusal",
    "approve",
    "authenticate",
    "cancel_record",
    "deliver_sms",
    "file_existing",
    "handle",
    "inject_fault",
    "isp_download",
    "isp_downloadack",
    "isp_querybeianstatus",
    "isp_querypreviousupload",
    "isp_upload",
    "isp_verifybamm",
    "issue_password",
    "knob",
    "new_id",
    "next_number",
    "queue_code_tables",
    "queue_download",
    "receive",
    "record_phone_check",
    "reject",
    "reset_password",
    "resend_sms",
    "seed_external_filing",
    "send_notice",
    "send_verification_task",
    "sign",
    "state",
    "take_faults",
    "tick",
    "verify_sms",
]
