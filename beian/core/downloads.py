"""One response for every private file the product serves: material scans,
generated form PDFs, verification photos.

The bytes are personal data, so: never stored by a shared cache, the type as
checked at upload (the browser must not sniff another), a file name of our
own, and a sandbox CSP so that whatever a file holds cannot run script in the
site's origin or reach the network.
"""

from __future__ import annotations

from django.http import HttpResponse

SANDBOX_CSP = "default-src 'none'; sandbox"


def private_file_response(
    data: bytes, content_type: str, filename: str, *, download: bool = False
) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_CSP
    return response


def refused_file_response(refusal) -> HttpResponse:
    """A private file the user may not read now: the refusal's message, as text."""
    response = HttpResponse(
        refusal.message(), status=refusal.status, content_type="text/plain; charset=utf-8"
    )
    response["Cache-Control"] = "private, no-store"
    return response
