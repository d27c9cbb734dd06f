"""Handing an application to the provincial administration, behind a small interface.

    adapter = get_adapter()
    outcome = adapter.submit(application, actor)   # -> Outcome, or raises SubmissionFailed

Chosen by `settings.BEIAN["AUTHORITY_ADAPTER"]`:
- "local" (default): in process, fires `submit_to_authority` (or
  `resubmit_to_authority` after the administration returned it) — for demos and
  for providers who upload by hand;
- "miit": the MIIT enterprise interface (`beian.authority.adapter.MiitAdapter`
  around `submit`, SOAP isp_upload), which fires the event itself once the file
  is accepted;
- a dotted path to a class with the same `submit` method.

An adapter raises `SubmissionFailed(message)` when the administration's
interface refused or could not be reached; the message is shown to the operator
as the interface gave it. A Refusal (wrong state, role, scope) passes through.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

from beian.filings import workflow
from beian.filings.states import ApplicationState as S


class SubmissionFailed(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Outcome:
    application: object
    message: str = ""


def submit_event(application) -> str:
    return (
        "resubmit_to_authority"
        if application.state == S.AUTHORITY_RETURNED
        else "submit_to_authority"
    )


class LocalAdapter:
    name = "local"

    def submit(self, application, actor) -> Outcome:
        app = workflow.fire(application, submit_event(application), actor=actor)
        return Outcome(app, "已提交 / Submitted")


# The MIIT enterprise interface lives in the authority app, above review: named by its
# path and loaded when chosen.
ADAPTERS = {"local": LocalAdapter, "miit": "beian.authority.adapter.MiitAdapter"}


def get_adapter():
    name = getattr(settings, "BEIAN", {}).get("AUTHORITY_ADAPTER", "local") or "local"
    cls = ADAPTERS.get(name, name)
    return (import_string(cls) if isinstance(cls, str) else cls)()
