"""Request size: a body larger than the limit is refused (413) before anything reads it.

`RequestSizeLimitMiddleware` is the first middleware, so nothing before it (the session, the
CSRF check, a view) has read or spooled the body. The limit is MAX_REQUEST_BYTES
(`KOINOTITA_MAX_REQUEST_MB`), or MAX_UPLOAD_REQUEST_BYTES for a view that takes files
(`koinotita.lib.uploads.accepts_files`). A body with a `Content-Length` is judged by it, unread;
a chunked body (no length, on a server that ends the input, as gunicorn does) is read up to
the limit and one byte, counted, and handed on as read. The answer is JSON under /api/, the
Greek error page elsewhere.
"""

import io

from django.conf import settings
from django.core.handlers.wsgi import LimitedStream
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext as _

from koinotita.lib.errors import problem_response


def _view_takes_files(func) -> bool:
    if getattr(func, "accepts_files", False):
        return True
    # A django-ninja path's view closes over its PathView, whose operations are the endpoints.
    for cell in getattr(func, "__closure__", None) or ():
        for operation in getattr(cell.cell_contents, "operations", ()):
            if getattr(operation.view_func, "accepts_files", False):
                return True
    return False


def request_limit(path_info: str) -> int:
    """The largest body a request to this path may carry."""
    try:
        match = resolve(path_info)
    except Resolver404:
        return settings.MAX_REQUEST_BYTES
    if _view_takes_files(match.func):
        return settings.MAX_UPLOAD_REQUEST_BYTES
    return settings.MAX_REQUEST_BYTES


def too_large(request, limit: int):
    language = translation.get_language_from_request(request)
    with translation.override(language):
        mb = max(1, limit // (1024 * 1024))
        if request.path.startswith("/api/"):
            detail = _("The request is larger than %(mb)s MB, the most accepted here.") % {"mb": mb}
            response = problem_response(413, detail)
        else:
            response = HttpResponse(render_to_string("413.html", {"limit_mb": mb}), status=413)
    return response


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        meta = request.META
        try:
            length = int(meta.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            limit = request_limit(request.path_info)
            if length > limit:
                return too_large(request, limit)
        elif not length and self._chunked(meta):
            limit = request_limit(request.path_info)
            body = meta["wsgi.input"].read(limit + 1)
            if len(body) > limit:
                return too_large(request, limit)
            meta["CONTENT_LENGTH"] = str(len(body))
            request._stream = LimitedStream(io.BytesIO(body), len(body))
        return self.get_response(request)

    @staticmethod
    def _chunked(meta) -> bool:
        """A body without a length that can be read to its end (the server ends the input)."""
        chunked = "chunked" in meta.get("HTTP_TRANSFER_ENCODING", "").lower()
        return chunked and bool(meta.get("wsgi.input_terminated"))
