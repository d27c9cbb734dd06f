"""SOAP client of the provincial system: the six methods, with timeouts, safe retries and a log.

Every attempt of every call is written to :class:`~beian.authority.models.Exchange` (method,
time, file name, hash, data sequence, return code, payload, answer). Methods without side
effects at the administration (download, downloadack, querypreviousupload,
querybeianstatus, verifybamm) are retried on transport failures; ``isp_upload`` is never
retried blindly: an unknown outcome is settled with ``isp_querypreviousupload``
(see ``beian.authority.services``).

Settings (``settings.BEIAN``): ``AUTHORITY_URL`` (the simulator, from ``BEIAN_AUTHORITY_SIM_PORT``, by default),
``AUTHORITY_ISP_ID``, ``AUTHORITY_USER``, ``AUTHORITY_PASSWORD``, ``AUTHORITY_AES_KEY``,
``AUTHORITY_AES_IV`` (encryption is on when both are set), ``AUTHORITY_TIMEOUT_SECONDS``,
``AUTHORITY_RETRIES``.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from django.conf import settings
from lxml import etree

from beian.authority import soap
from beian.authority.codec import XsdValidationError, auth_params, isp_upload_params
from beian.authority.codec.packaging import ENCRYPT_AES, ENCRYPT_NONE, EncodedPayload
from beian.authority.models import Exchange
from beian.core import clock


def setting(name: str):
    """One knob of the interface; settings.py holds every default once."""
    return settings.BEIAN[name]


class TransportError(Exception):
    """No usable answer: timeout, connection refused, HTTP error, SOAP fault, garbage."""


@dataclass
class Answer:
    code: int
    message: str
    root: etree._Element = field(repr=False)
    exchange_id: int | None = None

    def text(self, path: str) -> str | None:
        return self.root.findtext(path)

    @property
    def missing_sequences(self) -> list[int]:
        """Code 14: the data sequences the administration is missing."""
        return [int(x.text) for x in self.root.findall("dataSequences/dataSequence") if x.text]


@dataclass
class AuthorityClient:
    url: str
    isp_id: int
    user_name: str
    password: str
    key: str = ""
    iv: str = ""
    timeout: float = 15
    retries: int = 3
    backoff: float = 0.2

    @classmethod
    def from_settings(cls, **overrides) -> AuthorityClient:
        values = {
            "url": setting("AUTHORITY_URL"),
            "isp_id": int(setting("AUTHORITY_ISP_ID")),
            "user_name": setting("AUTHORITY_USER"),
            "password": setting("AUTHORITY_PASSWORD"),
            "key": setting("AUTHORITY_AES_KEY") or "",
            "iv": setting("AUTHORITY_AES_IV") or "",
            "timeout": float(setting("AUTHORITY_TIMEOUT_SECONDS")),
            "retries": int(setting("AUTHORITY_RETRIES")),
        }
        values.update(overrides)
        return cls(**values)

    @property
    def encrypt_algorithm(self) -> int:
        return ENCRYPT_AES if self.key and self.iv else ENCRYPT_NONE

    # ---- transport ---------------------------------------------------------------------------

    def endpoint(self, method: str) -> str:
        return self.url.rstrip("/") + soap.SERVICES[soap.service_of(method)]

    def _post(self, method: str, params: dict) -> str:
        request = urllib.request.Request(
            self.endpoint(method),
            data=soap.request_envelope(method, params),
            headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read()
        except urllib.error.HTTPError as exc:
            body = exc.read()
            if b"Fault" in body:
                return soap.parse_response(body)  # raises SoapFault
            raise TransportError(f"HTTP {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise TransportError(f"{type(reason).__name__}: {reason}") from exc
        return soap.parse_response(body)

    def call(
        self,
        method: str,
        make_params,
        *,
        retry: bool = True,
        log: dict | None = None,
    ) -> Answer:
        """Call ``method``; ``make_params()`` gives fresh parameters (a new randVal) per try."""
        log = dict(log or {})
        attempts = self.retries if retry else 1
        last_error = ""
        for attempt in range(1, attempts + 1):
            params = make_params()
            started = clock.now()
            t0 = time.monotonic()
            text, error = "", ""
            try:
                text = self._post(method, params)
            except (TransportError, soap.SoapFault) as exc:
                error = str(exc) or type(exc).__name__
            answer, code, message = None, None, ""
            if not error:
                try:
                    root = soap.parse_return(method, text)
                    code = int(root.findtext("msg_code"))
                    message = root.findtext("msg") or ""
                    answer = Answer(code, message, root)
                except (etree.XMLSyntaxError, XsdValidationError, TypeError, ValueError) as exc:
                    error = f"unreadable answer: {str(exc)[:500]}"
            row = Exchange.objects.create(
                method=method,
                started_at=started,
                duration_ms=int((time.monotonic() - t0) * 1000),
                attempt=attempt,
                return_code=code,
                return_message=message,
                error=error,
                request=_loggable(params),
                response=text[:200_000],
                **log,
            )
            if answer is not None:
                answer.exchange_id = row.pk
                return answer
            last_error = error
            if attempt < attempts:
                time.sleep(self.backoff * 2 ** (attempt - 1))
        raise TransportError(last_error)

    # ---- the six methods ---------------------------------------------------------------------

    def _auth(self) -> dict:
        return auth_params(isp_id=self.isp_id, user_name=self.user_name, password=self.password)

    def upload(self, payload: EncodedPayload, data_sequence: int, *, log: dict) -> Answer:
        """isp_upload — one attempt only (the caller reconciles an unknown outcome)."""

        def params():
            return isp_upload_params(
                isp_id=self.isp_id,
                user_name=self.user_name,
                password=self.password,
                payload=payload,
                data_sequence=data_sequence,
            )

        return self.call("isp_upload", params, retry=False, log=log)

    def download(self) -> Answer:
        return self.call("isp_download", self._auth)

    def download_ack(self, file_name: str) -> Answer:
        return self.call(
            "isp_downloadack",
            lambda: {**self._auth(), "fileName": file_name},
            log={"file_name": file_name},
        )

    def query_previous_upload(self) -> Answer:
        return self.call("isp_querypreviousupload", self._auth)

    def query_beian_status(self, condition_type: int, condition: str) -> Answer:
        return self.call(
            "isp_querybeianstatus",
            lambda: {
                **self._auth(),
                "queryConditionType": condition_type,
                "queryCondition": condition,
            },
        )

    def verify_bamm(self, number: str, filing_password: str) -> Answer:
        return self.call(
            "isp_verifybamm",
            lambda: {**self._auth(), "baxh": number, "bamm": filing_password},
        )


def _loggable(params: dict) -> dict:
    """Parameters for the log: no password hash, no filing password, payload by size only."""
    out = {}
    for key, value in params.items():
        if key in ("pwdHash", "bamm"):
            out[key] = "***"
        elif key == "beianInfo":
            out[key] = f"<{len(value)} base64 characters>"
        else:
            out[key] = value
    return out
