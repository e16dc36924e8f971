"""Places are listed in Greek dictionary order (issue 14): «Αλμυρός» before «Άργος
Ορεστικό», although a plain ORDER BY puts every accented capital after «Ω»."""

from django import forms

from koinotita.lib.forms import greek_order
from koinotita.organisations.models import Municipality, RegionalUnit

NAMES = ["Ωραιόκαστρο (δοκιμή)", "Άργος Ορεστικό (δοκιμή)", "Αλμυρός (δοκιμή)", "Βόλος (δοκιμή)"]


def _places():
    unit = RegionalUnit.objects.first()
    for i, name in enumerate(NAMES):
        Municipality.objects.create(
            regional_unit=unit, code=f"test-order-{i}", name=name, name_en=name
        )
    return Municipality.objects.filter(code__startswith="test-order-").order_by("name")


def test_a_choice_of_places_is_in_greek_order(network):
    field = greek_order(forms.ModelChoiceField(queryset=_places()))
    labels = [str(label) for _value, label in field.choices][1:]
    assert labels == [
        "Αλμυρός (δοκιμή)",
        "Άργος Ορεστικό (δοκιμή)",
        "Βόλος (δοκιμή)",
        "Ωραιόκαστρο (δοκιμή)",
    ]
    html = field.widget.render("m", None)  # the widget renders the same order
    assert html.index("Αλμυρός") < html.index("Άργος") < html.index("Ωραιόκαστρο")
