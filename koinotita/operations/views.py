from django.http import HttpResponseServerError, JsonResponse
from django.template import loader
from django.views.decorators.http import require_GET

from koinotita.operations.health import health_report


@require_GET
def healthz(request):
    """For the municipality's monitoring: 200 when healthy, 503 otherwise; no personal data."""
    healthy, report = health_report()
    response = JsonResponse(report, status=200 if healthy else 503)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request):
    """The 500 page with the request id (Django's own renders it without any context)."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(
        template.render({"request_id": getattr(request, "request_id", "")})
    )
