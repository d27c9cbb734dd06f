"""Processing codes the 3.0 text does not have, used between Beian and its simulator.

Interface 3.0 (2014) predates MIIT's SMS verification (2020) and says nothing about the moment
a filing is received. The simulator reports these steps as ordinary ``BAJG/Jg_xx`` results
with codes in a range the spec leaves unused (19xx); a real province that does not send them
is handled too: an approval or rejection brings the application along the skipped steps.
"""

from __future__ import annotations

from beian.authority import returncodes

RECEIVED = 1901
SMS_VERIFIED = 1902
SMS_FAILED = 1903

TEXTS = {
    RECEIVED: ("管局已接收，等待短信核验或审核", "Received by the administration"),
    SMS_VERIFIED: ("工信部短信核验已完成", "MIIT SMS verification done"),
    SMS_FAILED: (
        "工信部短信核验未在24小时内完成或错误次数过多，已退回接入商",
        "MIIT SMS verification not completed in 24 hours or too many wrong codes; "
        "returned to the provider",
    ),
}


def describe(code: int) -> tuple[str, str]:
    """(Chinese, English) of a method return code, a processing code or one of ours."""
    return TEXTS.get(int(code)) or returncodes.describe(code)
