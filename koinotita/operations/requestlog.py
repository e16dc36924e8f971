"""One JSON line per request on the `koinotita.requests` logger: request id, user id,
method, URL name (never the path, which may hold a person's id or a search term), status,
duration and query count. The request id is also sent as X-Request-ID and shown on the
error pages, so that a user can quote it."""

import json
import logging
import time
import uuid

from django.db import connection

logger = logging.getLogger("koinotita.requests")


class _QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = (
            incoming if incoming.isalnum() and len(incoming) <= 64 else uuid.uuid4().hex
        )
        start = time.perf_counter()
        counter = _QueryCounter()
        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        user = getattr(request, "user", None)
        record = {
            "request_id": request.request_id,
            "user_id": user.pk if user is not None and user.is_authenticated else None,
            "method": request.method,
            "route": match.view_name if match else None,
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - start) * 1000, 1),
            "queries": counter.count,
        }
        logger.info(json.dumps(record, separators=(",", ":")))
        response["X-Request-ID"] = request.request_id
        return response
