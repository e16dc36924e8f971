"""Small helpers shared by the forms of several apps."""

from django.contrib import messages
from django.core.exceptions import ValidationError


def add_service_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its fields where they exist."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(
                name if name in form.fields else None, [e for err in errors for e in err.messages]
            )
    else:
        form.add_error(None, exc.messages)


def flash_errors(request, errors) -> None:
    """Show a service's ValidationError, or an invalid form's errors, as messages on the
    next page (for the small POST-only forms that redirect back)."""
    if isinstance(errors, ValidationError):
        texts = errors.messages
    else:
        texts = [error for field_errors in errors.errors.values() for error in field_errors]
    for text in texts:
        messages.error(request, text)
