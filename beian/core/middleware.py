"""A request id per request, for audit events and logs."""

import threading
import uuid

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
