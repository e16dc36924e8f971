"""The API's assembly: one NinjaAPI under /api/v1/, each app adds its router.

The error contract is here, in one set of handlers (the body is `lib.errors.Problem`):
endpoints have no try-blocks, a service raises and these answer. Errors that happen outside
an endpoint (an unknown path, a method not allowed, a body too large, a database outage, a
failure) are answered as JSON by `koinotita.api.middleware.ApiErrorsAsJson`.
"""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as InvalidInput
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from koinotita.api.auth import BearerToken
from koinotita.cases.api import router as cases_router
from koinotita.directory.api import router as directory_router
from koinotita.funding.api import router as funding_router
from koinotita.lib import errors
from koinotita.monitoring.api import router as monitoring_router
from koinotita.organisations.api import router as organisations_router
from koinotita.people.api import router as people_router
from koinotita.people.services import NeedsConfirmation
from koinotita.programmes.api import router as programmes_router
from koinotita.reception.api import router as reception_router
from koinotita.referrals.api import router as referrals_router


class KoinotitaAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        """Every operation documents the error answers it may give (a `Problem`)."""
        return errors.document_errors(super().get_openapi_schema(**kwargs))


api = KoinotitaAPI(
    title="Koinotita API",
    version="1",
    description="API of Koinotita, the information system of Community Centres. Every error "
    "answer is JSON with `detail` (in the language of `Accept-Language`, Greek by default) "
    "and, for invalid input (422), `errors`: field name → messages.",
    auth=BearerToken(),
    urls_namespace="api",
)


def _answer(request, status: int, detail: str | None = None, **extra):
    body = {"detail": detail or errors.status_message(status), **extra}
    return api.create_response(request, body, status=status)


@api.exception_handler(AuthenticationError)
def _unauthorised(request, exc):
    return _answer(request, 401)


@api.exception_handler(HttpError)
def _unreadable(request, exc):
    if exc.status_code == 400:  # django-ninja could not parse the body
        return _answer(request, 400, _("The body of the request cannot be read (is it JSON?)."))
    return _answer(request, exc.status_code, str(exc))


@api.exception_handler(Http404)
@api.exception_handler(ObjectDoesNotExist)
def _not_found(request, exc):
    return _answer(request, 404)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return _answer(request, 403, str(exc))


@api.exception_handler(ValidationError)
def _invalid_input(request, exc):
    return _answer(request, 422, errors=errors.input_errors(exc.errors))


@api.exception_handler(InvalidInput)
def _invalid(request, exc):
    return _answer(request, 422, errors=errors.validation_errors(exc))


@api.exception_handler(NeedsConfirmation)
def _to_confirm(request, exc):
    detail = _('Confirm the warnings to save: send again with "confirm": true.')
    return _answer(request, 422, detail, warnings=exc.warnings)


@api.exception_handler(errors.Conflict)
def _conflict(request, exc):
    return api.create_response(request, exc.problem(), status=409)


@api.exception_handler(IntegrityError)
def _race(request, exc):
    return _answer(request, 409, _("Someone else saved a conflicting change at the same moment."))


api.add_router("/", organisations_router)
api.add_router("/", people_router)
api.add_router("/", reception_router)
api.add_router("/", cases_router)
api.add_router("/", directory_router)
api.add_router("/", programmes_router)
api.add_router("/", referrals_router)
api.add_router("/", funding_router)
api.add_router("/", monitoring_router)
