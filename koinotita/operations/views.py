from django.http import JsonResponse
from django.views.decorators.http import require_GET

from koinotita.operations.health import health_report


@require_GET
def healthz(request):
    """For the municipality's monitoring: 200 when healthy, 503 otherwise; no personal data."""
    healthy, report = health_report()
    response = JsonResponse(report, status=200 if healthy else 503)
    response["Cache-Control"] = "no-store"
    return response
