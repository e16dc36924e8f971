import sys

from django.contrib.auth.decorators import login_required
from django.db import InterfaceError, OperationalError
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from koinotita.lib.errors import RETRY_AFTER_SECONDS
from koinotita.web.selectors import home_for


@require_GET
@login_required
def home(request):
    return render(request, "web/home.html", home_for(request.user))


def server_error(request):
    """The answer to a failure (handler500): when the database cannot be reached (or gave up
    on a connection), 503 with `Retry-After` and the page that says so; otherwise 500.
    Neither touches the database. Under /api/ the answer becomes JSON (api.middleware)."""
    failure = sys.exc_info()[1]
    context = {"request_id": getattr(request, "request_id", "")}  # for the user to quote
    if isinstance(failure, (OperationalError, InterfaceError)):
        response = HttpResponseServerError(render_to_string("503.html", context), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(render_to_string("500.html", context))
