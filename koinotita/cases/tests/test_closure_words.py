"""The closure form's default passes its own check, and its counts are Greek plurals
(issue 14, closure)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from koinotita.cases import services
from koinotita.cases.forms import ClosureForm
from koinotita.cases.models import ClosureRequest


def test_with_open_tasks_the_default_is_an_answer_the_check_accepts(alice, case):
    services.task_create(
        actor=alice, case=case, title="Αίτηση", assignee=alice, due_on=date.today()
    )
    client = Client(headers={"Accept-Language": "el"})
    client.force_login(alice)
    url = reverse("cases-closure-new", args=[case.pk])
    form = client.get(url).context["form"]
    field = form["open_tasks"]
    assert field.value() == ClosureRequest.OpenTasks.DETACH
    assert ClosureRequest.OpenTasks.NONE not in dict(form.fields["open_tasks"].choices)
    # the form as it comes, sent unchanged: the request is made, the task kept
    data = {"reason": "goals_achieved", "note": "", "open_tasks": field.value()}
    response = client.post(url, data)
    assert response.status_code == 302
    assert ClosureRequest.objects.get(case=case).open_tasks == "detach"


def test_without_open_tasks_no_answer_is_needed():
    form = ClosureForm({"reason": "goals_achieved"}, goals=[])
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(("n", "words"), [(1, "1 ανοικτή εργασία"), (2, "2 ανοικτές εργασίες")])
def test_the_refusal_counts_tasks_in_greek_plurals(alice, case, n, words):
    for i in range(n):
        services.task_create(
            actor=alice, case=case, title=f"Εργασία {i}", assignee=alice, due_on=date.today()
        )
    with translation.override("el"), pytest.raises(ValidationError) as exc:
        services.closure_request(actor=alice, case=case, reason="goals_achieved")
    assert words in exc.value.message_dict["open_tasks"][0]


def test_a_case_without_documents_says_so_in_greek(alice, case):
    client = Client(headers={"Accept-Language": "el"})
    client.force_login(alice)
    page = client.get(reverse("cases-case-detail", args=[case.pk])).content.decode()
    assert "Κανένα έγγραφο." in page
    assert "Δεν υπάρχουν έγγραφα" not in page


def test_the_referral_catalogue_says_no_documents_in_greek():
    with translation.override("el"):
        assert translation.gettext("No documents.") == "Κανένα έγγραφο."
