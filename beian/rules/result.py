"""The answer every check gives: `CheckResult`."""

from __future__ import annotations

from dataclasses import dataclass, field

from beian.core.errors import message_for
from beian.rules import errors  # noqa: F401 - registers the codes used here


def issue(code: str, **params) -> dict:
    """One error or warning, its message in the active language."""
    return {"code": code, "message": message_for(code, **params)}


@dataclass
class CheckResult:
    ok: bool = True
    normalized: str | None = None
    facts: dict = field(default_factory=dict)
    errors: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)

    def error(self, code: str, **params) -> CheckResult:
        self.errors.append(issue(code, **params))
        self.ok = False
        return self

    def warn(self, code: str, **params) -> CheckResult:
        self.warnings.append(issue(code, **params))
        return self

    @property
    def error_codes(self) -> list[str]:
        return [e["code"] for e in self.errors]

    @property
    def warning_codes(self) -> list[str]:
        return [w["code"] for w in self.warnings]

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "normalized": self.normalized,
            "facts": dict(self.facts),
            "errors": list(self.errors),
            "warnings": list(self.warnings),
        }
