"""SMS backends, chosen by settings.BEIAN["SMS_BACKEND"] (a dotted path).

- `RecordingBackend` (default): keeps the text in `RecordedSms`, where the demo
  shows it (phone masked in lists). Nothing leaves the machine.
- `HttpGatewayBackend`: a generic HTTP gateway, configured in
  settings.BEIAN["SMS_GATEWAY"]:

      {"URL": "https://sms.example/send",
       "FORMAT": "json" | "form",                  # request body encoding
       "BODY": {"mobile": "{phone}", "content": "{text}", "requestId": "{id}"},
       "USERNAME": "...", "PASSWORD": "...",        # HTTP basic auth, or
       "TOKEN": "...",                              # Authorization: Bearer
       "HEADERS": {...}, "TIMEOUT": 10,
       "RATE_PER_HOUR": 5}                          # per number; beyond it: deferred

  Placeholders in BODY values: {phone} {text} {id} (the message UUID). The UUID
  also goes in an `Idempotency-Key` header, so a gateway that honours it drops
  a repeat after a crash. 2xx is success; 429, 5xx and network errors are
  retried; any other status is a permanent failure.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.utils.module_loading import import_string

from beian.core import clock, masking
from beian.notify.backends import Deferred, PermanentFailure
from beian.notify.models import Channel, Message, RecordedSms, State

DEFAULT_BACKEND = "beian.notify.backends.sms.RecordingBackend"
DEFAULT_BODY = {"mobile": "{phone}", "content": "{text}", "requestId": "{id}"}


def get_backend():
    path = getattr(settings, "BEIAN", {}).get("SMS_BACKEND", DEFAULT_BACKEND)
    return import_string(path)()


class RecordingBackend:
    def send(self, message: Message) -> str:
        record, _ = RecordedSms.objects.get_or_create(
            message=message,
            defaults={
                "phone": message.to_address,
                "phone_masked": masking.mask_phone(message.to_address),
                "text": message.body,
                "recorded_at": clock.now(),
            },
        )
        return f"recorded:{record.pk}"


class HttpGatewayBackend:
    def __init__(self, config: dict | None = None):
        self.config = dict(
            config if config is not None else getattr(settings, "BEIAN", {}).get("SMS_GATEWAY", {})
        )
        if not self.config.get("URL"):
            raise PermanentFailure('settings.BEIAN["SMS_GATEWAY"]["URL"] is not set')

    # Per-number rate limit ------------------------------------------------
    def _check_rate(self, message: Message) -> None:
        limit = int(self.config.get("RATE_PER_HOUR", 5))
        if limit <= 0:
            return
        now = clock.now()
        window_start = now - dt.timedelta(hours=1)
        recent = list(
            Message.objects.filter(
                channel=Channel.SMS,
                to_hash=message.to_hash,
                state=State.SENT,
                sent_at__gt=window_start,
            )
            .exclude(pk=message.pk)
            .order_by("sent_at")
            .values_list("sent_at", flat=True)
        )
        if len(recent) >= limit:
            # The window frees up when the oldest counted message leaves it.
            until = recent[len(recent) - limit] + dt.timedelta(hours=1)
            raise Deferred(until, f"rate limit: {limit} SMS per number per hour")

    # The request ----------------------------------------------------------
    def _request(self, message: Message) -> urllib.request.Request:
        values = {"phone": message.to_address, "text": message.body, "id": str(message.pk)}
        body = {
            key: str(value).format(**values) if isinstance(value, str) else value
            for key, value in (self.config.get("BODY") or DEFAULT_BODY).items()
        }
        headers = {"Idempotency-Key": str(message.pk), **(self.config.get("HEADERS") or {})}
        if self.config.get("FORMAT", "json") == "form":
            data = urllib.parse.urlencode(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
        else:
            data = json.dumps(body, ensure_ascii=False).encode()
            headers["Content-Type"] = "application/json; charset=utf-8"
        if self.config.get("TOKEN"):
            headers["Authorization"] = f"Bearer {self.config['TOKEN']}"
        elif self.config.get("USERNAME"):
            pair = f"{self.config['USERNAME']}:{self.config.get('PASSWORD', '')}"
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
        return urllib.request.Request(self.config["URL"], data=data, headers=headers, method="POST")

    def send(self, message: Message) -> str:
        self._check_rate(message)
        request = self._request(message)
        try:
            with urllib.request.urlopen(
                request, timeout=float(self.config.get("TIMEOUT", 10))
            ) as r:
                answer = r.read(2000).decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            if exc.code == 429 or exc.code >= 500:
                raise RuntimeError(f"SMS gateway answered {exc.code}") from exc
            raise PermanentFailure(f"SMS gateway refused the message: HTTP {exc.code}") from exc
        return answer.strip()[:200]
