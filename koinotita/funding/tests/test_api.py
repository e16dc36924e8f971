"""The funding API under /api/v1/: reads for supervisors and monitors, writes for
supervisors and admins only (403), 404 for everybody else; amounts as exact strings."""

import datetime as dt

import pytest

from koinotita.funding import services
from koinotita.funding.models import Amendment, Expenditure, Operation, YearBudget
from koinotita.testing.clients import api_client as api

BASE = "/api/v1/funding/operations"


def test_list_and_detail_for_supervisor_and_monitor(sam, mona, operation):
    services.expenditure_add(
        actor=sam,
        operation=operation,
        date=dt.date(2022, 2, 1),
        category="staff",
        amount="0.10",
        document_ref="1",
    )
    for user in (sam, mona):
        listing = api(user).get(BASE).json()
        assert [o["code"] for o in listing] == ["MIS-kastoria"]
        assert listing[0]["budget"] == "120000.00" and listing[0]["spent"] == "0.10"
        detail = api(user).get(f"{BASE}/{operation.pk}").json()
        assert detail["budget"] == "120000.00" and detail["centres"] == ["kastoria"]
        assert detail["sources"] == [
            {"kind": "esf", "share": "80.00"},
            {"kind": "national", "share": "20.00"},
        ]
        assert detail["figures"]["balance"] == "119999.90"
    assert api(mona).get(BASE, {"region": "thessalia"}).json() == []


@pytest.mark.parametrize("who", ["charlie", "fiona", "alice", "pat", "nobody", "tina"])
def test_everybody_else_gets_404(request, operation, who):
    client = api(request.getfixturevalue(who))
    assert client.get(BASE).json() == []
    for path in ("", "/amendments", "/budgets", "/expenditures"):
        assert client.get(f"{BASE}/{operation.pk}{path}").status_code == 404, path
    response = client.post(
        f"{BASE}/{operation.pk}/expenditures",
        {"date": "2022-02-01", "category": "staff", "amount": "1.00", "document_ref": "x"},
        content_type="application/json",
    )
    assert response.status_code == 404 and not Expenditure.objects.exists()


def test_record_an_amendment_and_read_the_new_values(sam, operation):
    client = api(sam)
    response = client.post(
        f"{BASE}/{operation.pk}/amendments",
        {
            "date": "2024-10-01",
            "decision_ref": "ΑΔΑ: 1",
            "reason": "Παράταση",
            "new_budget": "150000.00",
            "new_end_date": "2025-06-30",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["old_budget"] == "120000.00"
    detail = client.get(f"{BASE}/{operation.pk}").json()
    assert detail["budget"] == "150000.00" and detail["end_date"] == "2025-06-30"
    assert detail["initial_budget"] == "120000.00"
    assert [a["seq"] for a in client.get(f"{BASE}/{operation.pk}/amendments").json()] == [1]


def test_bad_amendment_gives_422_with_the_message_in_both_languages(sam, operation):
    payload = {
        "date": "2024-10-01",
        "decision_ref": "Α",
        "reason": "Β",
        "new_end_date": "2020-01-01",
    }
    for language, text in (("en", "after the start"), ("el", "μεταγενέστερη της έναρξης")):
        response = api(sam, language).post(
            f"{BASE}/{operation.pk}/amendments", payload, content_type="application/json"
        )
        assert response.status_code == 422
        assert text in response.json()["errors"]["new_end_date"][0]
    assert not Amendment.objects.exists()


def test_monitor_gets_403_on_writes(mona, operation):
    client = api(mona)
    response = client.post(
        f"{BASE}/{operation.pk}/amendments",
        {"date": "2024-10-01", "decision_ref": "Α", "reason": "Β", "new_budget": "1.00"},
        content_type="application/json",
    )
    assert response.status_code == 403
    response = client.put(
        f"{BASE}/{operation.pk}/budgets",
        {"year": 2022, "amounts": {"staff": "1.00"}},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Amendment.objects.exists() and not YearBudget.objects.exists()


def test_expenditures_and_budgets(sam, operation):
    client = api(sam)
    ok = {"date": "2022-02-01", "category": "staff", "amount": "1234.56", "document_ref": "Τ-1"}
    response = client.post(
        f"{BASE}/{operation.pk}/expenditures", ok, content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["amount"] == "1234.56"
    for bad, field in (
        ({**ok, "document_ref": "Τ-1"}, "document_ref"),
        ({**ok, "document_ref": "Τ-2", "category": "travel"}, "category"),
        ({**ok, "document_ref": "Τ-3", "amount": "-1.00"}, "amount"),
        ({**ok, "document_ref": "Τ-4", "date": "2030-01-01"}, "date"),
    ):
        response = client.post(
            f"{BASE}/{operation.pk}/expenditures", bad, content_type="application/json"
        )
        assert response.status_code == 422 and field in response.json()["errors"], bad
    float_amount = {**ok, "document_ref": "Τ-5", "amount": 10.5}
    response = client.post(
        f"{BASE}/{operation.pk}/expenditures", float_amount, content_type="application/json"
    )
    assert response.status_code == 422  # a JSON number is never taken as money
    assert Expenditure.objects.count() == 1
    listing = client.get(f"{BASE}/{operation.pk}/expenditures", {"year": 2022}).json()
    assert [e["document_ref"] for e in listing] == ["Τ-1"]
    response = client.put(
        f"{BASE}/{operation.pk}/budgets",
        {"year": 2022, "amounts": {"staff": "30000.00", "actions": "500.50"}},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()[0]["total"] == "30500.50"
    assert response.json()[0]["amounts"]["actions"] == "500.50"


def test_create_an_operation(sam, charlie, network):
    payload = {
        "title": "Νέα",
        "code": "6000001",
        "programme": "Π",
        "managing_authority": "ΕΥΔ",
        "centres": ["kastoria"],
        "start_date": "2024-01-01",
        "end_date": "2025-12-31",
        "budget": "345600.00",
        "sources": [{"kind": "esf_plus", "share": "85"}, {"kind": "national", "share": "14"}],
        "implementation_mode": "contracted",
    }
    response = api(sam).post(BASE, payload, content_type="application/json")
    assert response.status_code == 422 and "99.00%" in response.json()["errors"]["sources"][0]
    payload["sources"][1]["share"] = "15"
    response = api(sam).post(
        BASE, {**payload, "centres": ["florina"]}, content_type="application/json"
    )
    assert response.status_code == 422
    response = api(sam).post(BASE, payload, content_type="application/json")
    assert response.status_code == 201 and response.json()["budget"] == "345600.00"
    assert api(charlie).post(BASE, payload, content_type="application/json").status_code == 404
    assert Operation.objects.filter(code="6000001").count() == 1


def test_patch_changes_details_only(sam, mona, charlie, operation):
    url = f"{BASE}/{operation.pk}"
    response = api(sam).patch(
        url,
        {"title": "Άλλος τίτλος", "positions": [{"title": "Ψυχολόγος", "count": 2}]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Άλλος τίτλος"
    assert response.json()["positions"] == [{"title": "Ψυχολόγος", "count": 2}]
    assert response.json()["budget"] == "120000.00"
    bad = api(sam).patch(url, {"implementation_mode": "magic"}, content_type="application/json")
    assert bad.status_code == 422
    assert api(mona).patch(url, {"title": "x"}, content_type="application/json").status_code == 403
    assert (
        api(charlie).patch(url, {"title": "x"}, content_type="application/json").status_code == 404
    )
    operation.refresh_from_db()
    assert operation.title == "Άλλος τίτλος"
