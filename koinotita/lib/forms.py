"""Small helpers shared by the forms of several apps."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator

from koinotita.lib.greek import sort_key


class GreekOrder(ModelChoiceIterator):
    """A ModelChoiceField's choices in Greek dictionary order of their labels
    (lib.greek.sort_key: «Αλμυρός» before «Άργος Ορεστικό»), the empty choice first."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        choices = [self.choice(obj) for obj in self.queryset]
        yield from sorted(choices, key=lambda choice: sort_key(str(choice[1])))


def greek_order(field):
    """Show a ModelChoiceField's places (municipalities, centres, sites) in Greek order."""
    field.iterator = GreekOrder
    field.widget.choices = field.choices
    return field


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
