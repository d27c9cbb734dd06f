"""Typed refusals with stable codes and messages in the user's language.

A refusal is raised by a service, a guard or a check and carried unchanged to
the user: the API answers it as JSON with a 4xx status, a page shows it next to
the field. Each app registers its codes with their Chinese and English text in
one place (its `errors.py`), so codes are stable and messages are translated.
"""

from __future__ import annotations

from dataclasses import dataclass

from beian.core.i18n import is_english

_CATALOG: dict[str, tuple[str, str]] = {}


def register(messages: dict[str, tuple[str, str]]) -> None:
    """Register codes as {code: (chinese, english)}; a code may be defined once."""
    for code, pair in messages.items():
        if code in _CATALOG and _CATALOG[code] != pair:
            raise ValueError(f"refusal code {code!r} registered twice with different text")
        _CATALOG[code] = pair


def catalog() -> dict[str, tuple[str, str]]:
    return dict(_CATALOG)


def message_for(code: str, language: str | None = None, **params) -> str:
    zh, en = _CATALOG.get(code, (code, code))
    text = en if is_english(language) else zh
    try:
        return text.format(**params)
    except (KeyError, IndexError):
        return text


@dataclass
class Refusal(Exception):
    """A refused request: stable `code`, optional `field`, HTTP `status`."""

    code: str
    field: str | None = None
    status: int = 400
    params: dict | None = None
    # Several field-level problems at once: [{"field", "code", "message"}].
    details: list | None = None

    def __post_init__(self) -> None:
        if self.code not in _CATALOG:
            raise ValueError(f"unregistered refusal code {self.code!r}")
        super().__init__(self.code)

    def message(self, language: str | None = None) -> str:
        return message_for(self.code, language, **(self.params or {}))

    def as_dict(self, language: str | None = None) -> dict:
        data = {"code": self.code, "message": self.message(language)}
        if self.field:
            data["field"] = self.field
        if self.details:
            data["errors"] = self.details
        return data

    def __str__(self) -> str:
        return f"{self.code}: {self.message('en')}"


class NotFound(Refusal):
    def __init__(self, code: str = "not_found", **kwargs):
        super().__init__(code, status=404, **kwargs)


class Forbidden(Refusal):
    def __init__(self, code: str = "forbidden", **kwargs):
        super().__init__(code, status=403, **kwargs)


register(
    {
        "not_found": ("未找到该对象，或您无权查看。", "Not found, or you may not see it."),
        "forbidden": ("您的角色无权执行此操作。", "Your role may not do this."),
        "not_authenticated": ("请先登录。", "Please log in first."),
        "invalid_input": ("输入有误：{detail}", "Invalid input: {detail}"),
        "input_control_character": (
            "输入中含有不可见的控制字符（如 NUL），请删除后重试。",
            "The input contains an invisible control character (such as NUL); remove it and try again.",
        ),
        "input_unreadable": (
            "请求内容无法解析（格式与声明的类型不符），请检查后重试。",
            "The request body cannot be read (it does not match its declared type); check it and try again.",
        ),
        "rate_limited": (
            "请求过于频繁，请稍后再试。",
            "Too many requests; please try again later.",
        ),
    }
)
