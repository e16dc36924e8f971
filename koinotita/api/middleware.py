"""Every error answer under /api/ is JSON, whoever made it.

The API's own handlers (koinotita/api/main.py) answer the errors of its endpoints. The rest
happen outside them: an unknown path (Django's 404), a method the path does not take
(django-ninja's 405), a request Django refuses (400), a failure or a database outage (the
500 and 503 of `koinotita.web.views.server_error`). This middleware, near the top, turns any
such answer that is not JSON into a `lib.errors.Problem` with the sentence for its status,
in the request's language, keeping its status and its `Allow` and `Retry-After` headers.
"""

from django.utils import translation

from koinotita.lib.errors import problem_response

KEPT_HEADERS = ("Allow", "Retry-After")


class ApiErrorsAsJsonMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path.startswith("/api/")
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        language = getattr(request, "LANGUAGE_CODE", None)
        with translation.override(language or translation.get_language_from_request(request)):
            answer = problem_response(response.status_code)
        for header in KEPT_HEADERS:
            if header in response:
                answer[header] = response[header]
        return answer
