"""The API's error contract: one body for every error answer, and the exception a service
raises for a conflict.

Every error of `/api/v1/` — refused, not found, conflict, invalid, too large, failed, database
unreachable — answers `application/json` with a `Problem`: `detail` (one sentence in the
user's language) and, when the input is at fault, `errors` (field name → messages; `__all__`
for the request as a whole). Some answers add one key: `warnings` (what to confirm),
`existing_id` (the duplicate), `state` (where a referral is). The mapping of exceptions to
status codes is in one place, `koinotita/api/main.py`; `document_errors` writes the same
contract into every operation of the OpenAPI schema.

A service raises; it never builds an HTTP answer:
- `django.core.exceptions.PermissionDenied` → 403 (its message, if any);
- `django.core.exceptions.ValidationError` → 422 (its messages, by field);
- `Conflict` (or `django.db.IntegrityError`, a race the service did not foresee) → 409;
- `django.http.Http404` / `ObjectDoesNotExist` → 404.
"""

from typing import Annotated

from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Schema

# What the database can hold in a key (SQLite's INTEGER, PostgreSQL's bigint): a larger id
# in a path, a body or a query answers 422 instead of failing in the database.
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# A number of minutes, a count, a year, a page: what fits in a 32-bit integer column.
MAX_SMALL = 2**31 - 1
Count = Annotated[int, Field(ge=0, le=MAX_SMALL)]


class Problem(Schema):
    """The body of every error answer of the API."""

    detail: str
    errors: dict[str, list[str]] | None = None
    warnings: list[str] | None = None
    existing_id: int | None = None
    state: str | None = None


class Conflict(Exception):
    """The request contradicts the current state (HTTP 409): a stale version, a step that
    cannot follow, a duplicate. `problem()` is the answer's body: `detail`, and whatever
    key a subclass adds (`state`, `existing_id`)."""

    def problem(self) -> dict:
        messages = getattr(self, "messages", None)  # a Conflict that is a ValidationError too
        return {"detail": messages[0] if messages else str(self)}


# One sentence per status, for answers that have no more specific message.
STATUS_MESSAGES = {
    400: gettext_lazy("The request is not valid."),
    401: gettext_lazy("Missing or invalid API token."),
    403: gettext_lazy("You cannot do this."),
    404: gettext_lazy("Not found."),
    405: gettext_lazy("This method is not allowed here."),
    409: gettext_lazy("The request conflicts with the current state of the record."),
    413: gettext_lazy("The request is larger than this server accepts."),
    422: gettext_lazy("The request is not valid."),
    500: gettext_lazy("Something went wrong on our side. Nothing you sent was saved half-way."),
    503: gettext_lazy("The service is unavailable for a moment. Try again in a minute."),
}

# How long a client should wait before trying again after a 503.
RETRY_AFTER_SECONDS = 30


def status_message(status: int) -> str:
    message = STATUS_MESSAGES.get(status) or STATUS_MESSAGES[500 if status >= 500 else 400]
    return str(message)


def problem_response(status: int, detail: str | None = None, **extra) -> JsonResponse:
    """A `Problem` as a Django response (for answers made outside the API's handlers)."""
    body = {"detail": detail or status_message(status), **extra}
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def validation_errors(exc) -> dict[str, list[str]]:
    """A Django ValidationError's messages by field (`__all__` for the whole request)."""
    if hasattr(exc, "error_dict"):
        return exc.message_dict
    return {"__all__": exc.messages}


# Pydantic's error types, said in the user's language; any other keeps pydantic's text.
def _input_message(error: dict) -> str:
    ctx = error.get("ctx") or {}
    kind = error.get("type", "")
    messages = {
        "missing": _("This field is required."),
        "int_parsing": _("Enter a whole number."),
        "int_type": _("Enter a whole number."),
        "int_from_float": _("Enter a whole number."),
        "bool_parsing": _("Enter true or false."),
        "bool_type": _("Enter true or false."),
        "string_type": _("Enter a text."),
        "date_from_datetime_parsing": _("Enter a date (YYYY-MM-DD)."),
        "date_parsing": _("Enter a date (YYYY-MM-DD)."),
        "date_type": _("Enter a date (YYYY-MM-DD)."),
        "datetime_parsing": _("Enter a date and time (YYYY-MM-DDTHH:MM)."),
        "datetime_from_date_parsing": _("Enter a date and time (YYYY-MM-DDTHH:MM)."),
        "datetime_type": _("Enter a date and time (YYYY-MM-DDTHH:MM)."),
        "uuid_parsing": _("Enter a valid identifier (UUID)."),
        "uuid_type": _("Enter a valid identifier (UUID)."),
        "list_type": _("Enter a list."),
        "dict_type": _("Enter an object."),
        "model_type": _("Enter an object."),
        "model_attributes_type": _("Enter an object."),
        "enum": _("Choose one of the allowed values."),
        "literal_error": _("Choose one of the allowed values."),
        "json_invalid": _("The body is not valid JSON."),
        "extra_forbidden": _("This field is not expected."),
    }
    if kind in ("greater_than_equal", "greater_than"):
        return _("Enter a number of at least %(limit)s.") % {
            "limit": ctx.get("ge", ctx.get("gt", ""))
        }
    if kind in ("less_than_equal", "less_than"):
        return _("Enter a number of at most %(limit)s.") % {
            "limit": ctx.get("le", ctx.get("lt", ""))
        }
    if kind == "string_too_long":
        return _("Enter at most %(limit)s characters.") % {"limit": ctx.get("max_length", "")}
    return str(messages.get(kind) or error.get("msg") or _("The request is not valid."))


def input_errors(errors: list[dict]) -> dict[str, list[str]]:
    """Ninja's list of pydantic errors as messages by field: `("body", "payload", "reason")`
    is `reason`, `("query", "page")` is `page`, a nested item `items.0.rating`."""
    out: dict[str, list[str]] = {}
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        if loc and loc[0] in ("body", "form", "file"):
            loc = loc[2:] if len(loc) > 1 else []
        elif loc and loc[0] in ("query", "path", "header", "cookie"):
            loc = loc[1:]
        key = ".".join(loc) or "__all__"
        out.setdefault(key, []).append(_input_message(error))
    return out


ERROR_STATUSES = (400, 401, 403, 404, 409, 413, 422, 500, 503)


def document_errors(schema: dict) -> dict:
    """Add the error answers (a `Problem`) to every operation of an OpenAPI schema."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    components["Problem"] = problem
    with translation.override("en"):
        descriptions = {status: str(STATUS_MESSAGES[status]) for status in ERROR_STATUSES}
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for status in ERROR_STATUSES:
                if status == 401 and not operation.get("security"):
                    continue
                with_content = {"description": descriptions[status], "content": content}
                if status == 503:
                    with_content["headers"] = {
                        "Retry-After": {
                            "description": "Seconds to wait before trying again.",
                            "schema": {"type": "integer"},
                        }
                    }
                responses[status] = with_content
    return schema
