"""Small helpers shared by the forms of several apps."""

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
