"""The API's assembly: one NinjaAPI under /api/v1/, each app adds its router."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from koinotita.api.auth import BearerToken
from koinotita.cases.api import router as cases_router
from koinotita.directory.api import router as directory_router
from koinotita.funding.api import router as funding_router
from koinotita.monitoring.api import router as monitoring_router
from koinotita.organisations.api import router as organisations_router
from koinotita.people.api import router as people_router
from koinotita.programmes.api import router as programmes_router
from koinotita.reception.api import router as reception_router
from koinotita.referrals.api import router as referrals_router

api = NinjaAPI(
    title="Koinotita API",
    version="1",
    description="API of Koinotita, the information system of Community Centres.",
    auth=BearerToken(),
    urls_namespace="api",
)


@api.exception_handler(AuthenticationError)
def _unauthorised(request, exc):
    return api.create_response(request, {"detail": _("Missing or invalid API token.")}, status=401)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    return api.create_response(
        request, {"detail": _("The request is not valid."), "errors": exc.errors}, status=422
    )


# A service's refusal, raised through an endpoint (the endpoints have no try-blocks).
@api.exception_handler(DjangoValidationError)
def _refused(request, exc):
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(
        request, {"detail": _("The request is not valid."), "errors": errors}, status=422
    )


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or _("Not allowed.")}, status=403)


api.add_router("/", organisations_router)
api.add_router("/", people_router)
api.add_router("/", reception_router)
api.add_router("/", cases_router)
api.add_router("/", directory_router)
api.add_router("/", programmes_router)
api.add_router("/", referrals_router)
api.add_router("/", funding_router)
api.add_router("/", monitoring_router)
