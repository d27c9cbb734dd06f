"""A request id per request, for audit events and logs; requests carrying a NUL
character, or a multipart body that cannot be parsed, refused before any view sees them."""

import threading
import urllib.parse
import uuid

from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError

from beian.core.errors import message_for

_local = threading.local()


def current_request_id() -> str:
    return getattr(_local, "request_id", "") or ""


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request.headers.get("X-Request-Id", "")[:64] or uuid.uuid4().hex
        _local.request_id = request_id
        request.request_id = request_id
        try:
            response = self.get_response(request)
        finally:
            _local.request_id = ""
        response["X-Request-Id"] = request_id
        return response


class RefuseNulMiddleware:
    """A NUL character (0x00) is never part of a path, a query or a text field, and
    PostgreSQL cannot store it in text: refuse it up front with a stable code (400)
    instead of letting a database error become a 500. File uploads (multipart) are
    binary and pass; the text fields of a multipart form are checked."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            refused = "input_control_character" if _carries_nul(request) else None
        except MultiPartParserError:  # e.g. multipart/form-data without a boundary
            refused = "input_unreadable"
        if refused:
            message = message_for(refused)
            if request.path.startswith("/api/"):
                return JsonResponse({"code": refused, "message": message}, status=400)
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def _carries_nul(request) -> bool:
    raw_query = request.META.get("QUERY_STRING", "")
    if "\x00" in request.path or "\x00" in urllib.parse.unquote(raw_query):
        return True
    content_type = request.META.get("CONTENT_TYPE", "")
    if content_type.startswith("multipart/"):
        return any("\x00" in v for values in request.POST.lists() for v in values[1])
    if request.method not in ("POST", "PUT", "PATCH") or not request.path.startswith("/api/"):
        return (
            request.method == "POST"
            and content_type.startswith("application/x-www-form-urlencoded")
            and any("\x00" in v for values in request.POST.lists() for v in values[1])
        )
    try:
        body = request.body
    except RequestDataTooBig:  # the view answers that itself
        return False
    if content_type.startswith("application/x-www-form-urlencoded"):
        return "\x00" in urllib.parse.unquote_to_bytes(body).decode("utf-8", "replace")
    return b"\x00" in body or b"\\u0000" in body
