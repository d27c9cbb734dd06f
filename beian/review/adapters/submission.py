"""Handing an application to the provincial administration, behind a small interface.

    adapter = get_adapter()
    outcome = adapter.submit(application, actor)   # -> Outcome, or raises SubmissionFailed

Chosen by `settings.BEIAN["AUTHORITY_ADAPTER"]`:
- "local" (default): in process, fires `submit_to_authority` (or
  `resubmit_to_authority` after the administration returned it) — for demos and
  for providers who upload by hand;
- "miit": the MIIT enterprise interface (`beian.authority.adapter.submit`,
  SOAP isp_upload), which fires the event itself once the file is accepted;
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


class MiitAdapter:
    """The MIIT enterprise interface client of beian.authority."""

    name = "miit"

    def submit(self, application, actor) -> Outcome:
        from beian.authority.adapter import submit

        try:
            result = submit(application, actor)
        except OSError as exc:  # transport trouble the client did not turn into a result
            raise SubmissionFailed(str(exc)) from exc
        if not result.accepted:
            raise SubmissionFailed(result.message)
        return Outcome(result.application, result.message)


ADAPTERS = {"local": LocalAdapter, "miit": MiitAdapter}


def get_adapter():
    name = getattr(settings, "BEIAN", {}).get("AUTHORITY_ADAPTER", "local") or "local"
    cls = ADAPTERS.get(name) or import_string(name)
    return cls()
