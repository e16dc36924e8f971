"""The funding pages over HTTP: who sees what (404 outside the scope, 403 for a monitor on a
form), the forms with their bad input, the region view and the exports, and query counts."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from koinotita.funding import services
from koinotita.funding.models import Amendment, Expenditure, Operation
from koinotita.funding.tests.conftest import make_operation
from koinotita.testing.clients import logged_in

D = Decimal


@pytest.fixture
def spent(operation):
    for i, (day, amount) in enumerate(
        [
            (dt.date(2022, 2, 1), "1000.10"),
            (dt.date(2023, 3, 1), "2000.20"),
            (dt.date(2024, 4, 1), "0.05"),
        ]
    ):
        services.expenditure_add(
            actor=services.SYSTEM,
            operation=operation,
            date=day,
            category="staff",
            amount=amount,
            document_ref=f"ΤΠΥ-{i}",
        )
    services.year_budget_set(
        actor=services.SYSTEM, operation=operation, year=2022, amounts={"staff": "40000.00"}
    )
    return operation


def urls(op):
    return [
        reverse("funding-operation-detail", args=[op.pk]),
        reverse("funding-amendment-create", args=[op.pk]),
        reverse("funding-year-budget-set", args=[op.pk]),
        reverse("funding-expenditure-create", args=[op.pk]),
        reverse("funding-expenditure-import", args=[op.pk]),
        reverse("funding-operation-export", args=[op.pk, "xlsx"]),
        reverse("funding-operation-export", args=[op.pk, "pdf"]),
        reverse("funding-operation-edit", args=[op.pk]),
    ]


REGION = ["funding-region", "funding-region-export"]


def test_supervisor_sees_the_operation_page_with_figures_and_charts(sam, spent):
    response = logged_in(sam).get(reverse("funding-operation-detail", args=[spent.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "120.000,00 €" in html and "3.000,35 €" in html and "116.999,65 €" in html
    assert 'id="funding-chart-data" type="application/json"' in html
    assert "web/chart.umd.min.js" in html and "funding/operation_charts.js" in html
    assert "<script>" not in html  # CSP 'self': no inline script
    assert reverse("funding-amendment-create", args=[spent.pk]) in html


def test_monitor_reads_but_cannot_change(mona, spent):
    client = logged_in(mona)
    page = client.get(reverse("funding-operation-detail", args=[spent.pk]))
    assert page.status_code == 200
    assert reverse("funding-amendment-create", args=[spent.pk]) not in page.content.decode()
    for url in [*urls(spent)[1:5], urls(spent)[7]]:
        assert client.get(url).status_code == 403
    response = client.post(
        reverse("funding-amendment-create", args=[spent.pk]),
        {"date": "2023-01-01", "decision_ref": "x", "reason": "y", "new_budget": "1"},
    )
    assert response.status_code == 403 and not Amendment.objects.exists()


@pytest.mark.parametrize("who", ["charlie", "fiona", "alice", "rita", "pat", "nobody", "tina"])
def test_everybody_else_gets_404(request, spent, who):
    client = logged_in(request.getfixturevalue(who))
    for url in urls(spent):
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("funding-region", args=["dytiki-makedonia"])).status_code == 404
    for fmt in ("xlsx", "pdf"):
        url = reverse("funding-region-export", args=["dytiki-makedonia", fmt])
        assert client.get(url).status_code == 404
    assert client.post(urls(spent)[3], {"date": "2022-05-05"}).status_code == 404
    assert not Expenditure.objects.filter(date=dt.date(2022, 5, 5)).exists()


def test_operation_list_for_supervisor_and_404_for_a_caseworker(sam, alice, charlie, spent):
    response = logged_in(sam).get(reverse("funding-operation-list"))
    assert response.status_code == 200
    assert spent.code in response.content.decode()
    assert logged_in(alice).get(reverse("funding-operation-list")).status_code == 404
    assert logged_in(charlie).get(reverse("funding-operation-list")).status_code == 404


def test_supervisor_records_an_amendment_through_the_form(sam, spent):
    client = logged_in(sam)
    response = client.post(
        reverse("funding-amendment-create", args=[spent.pk]),
        {
            "date": "2024-11-20",
            "decision_ref": "ΑΔΑ: 9ΑΒΓ",
            "reason": "Παράταση",
            "new_end_date": "2025-06-30",
            "new_budget": "150.000,00",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("funding-operation-detail", args=[spent.pk])).content.decode()
    assert "30/06/2025" in page and "150.000,00 €" in page and "ΑΔΑ: 9ΑΒΓ" in page


@pytest.mark.parametrize(
    "data, greek, english",
    [
        ({"new_end_date": "2021-01-01"}, "μεταγενέστερη της έναρξης", "after the start"),
        ({"new_budget": "3000,34"}, "κάτω από τις δαπάνες", "below what is already spent"),
        ({"new_budget": "-1"}, "αρνητικό", "negative"),
    ],
)
def test_bad_amendment_in_the_form_shows_the_message_in_both_languages(
    sam, spent, data, greek, english
):
    base = {"date": "2024-01-10", "decision_ref": "ΑΔΑ", "reason": "Λόγος"}
    for language, text in (("el", greek), ("en", english)):
        client = logged_in(sam)
        response = client.post(
            reverse("funding-amendment-create", args=[spent.pk]),
            {**base, **data},
            HTTP_ACCEPT_LANGUAGE=language,
        )
        assert response.status_code == 200
        assert text in response.content.decode()
    assert not Amendment.objects.exists()


def test_expenditure_form_and_its_bad_input(sam, spent):
    client = logged_in(sam)
    url = reverse("funding-expenditure-create", args=[spent.pk])
    ok = {
        "date": "2024-05-02",
        "category": "equipment",
        "amount": "1.234,56",
        "document_ref": "Τ-9",
    }
    assert client.post(url, ok).status_code == 302
    assert Expenditure.objects.get(document_ref="Τ-9").amount == D("1234.56")
    cases = [
        ({**ok, "document_ref": "Τ-9"}, "έχει ήδη καταχωριστεί"),
        ({**ok, "document_ref": "Τ-10", "date": "2025-01-01"}, "εκτός της διάρκειας"),
        ({**ok, "document_ref": "Τ-11", "category": "travel"}, "Άγνωστη κατηγορία «travel»"),
        ({**ok, "document_ref": "Τ-12", "amount": "-5"}, "αρνητικό"),
    ]
    for data, message in cases:
        response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="el")
        assert response.status_code == 200
        assert message in response.content.decode(), message
    assert Expenditure.objects.count() == 4


def test_year_budget_form(sam, spent):
    client = logged_in(sam)
    url = reverse("funding-year-budget-set", args=[spent.pk])
    response = client.post(url, {"year": "2023", "staff": "30000", "operating": "2.500,50"})
    assert response.status_code == 302
    response = client.post(url, {"year": "2024", "staff": "60000"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "more than the operation" in response.content.decode()


def test_create_operation_page(sam, network):
    client = logged_in(sam)
    url = reverse("funding-operation-create")
    assert client.get(url).status_code == 200
    data = {
        "title": "Νέα πράξη",
        "code": "6009999",
        "programme": "Δυτική Μακεδονία 2021-2027",
        "managing_authority": "ΕΥΔ",
        "centres": [network["kastoria"].pk],
        "start_date": "2024-01-01",
        "end_date": "2025-12-31",
        "budget": "345.600,00",
        "eu_fund": "esf_plus",
        "eu_share": "85",
        "national_share": "10",
        "implementation_mode": "contracted",
        "positions": "2 Κοινωνικός λειτουργός\nΨυχολόγος",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "95,00%" in response.content.decode() or "95.00%" in response.content.decode()
    assert not Operation.objects.filter(code="6009999").exists()
    response = client.post(url, {**data, "national_share": "15"})
    assert response.status_code == 302
    op = Operation.objects.get(code="6009999")
    assert op.initial_budget == D("345600.00")
    assert op.positions == [
        {"title": "Κοινωνικός λειτουργός", "count": 2},
        {"title": "Ψυχολόγος", "count": 1},
    ]


def test_create_page_is_404_for_monitor_and_caseworker(mona, alice):
    for user in (mona, alice):
        assert logged_in(user).get(reverse("funding-operation-create")).status_code == 404


def test_region_view_shows_every_operation_with_totals(mona, spent, network):
    other = make_operation("florina", code="MIS-FL", budget=D("0.10"))
    services.expenditure_add(
        actor=services.SYSTEM,
        operation=other,
        date=dt.date(2022, 1, 5),
        category="actions",
        amount="0.05",
        document_ref="1",
    )
    make_operation("almyros", code="MIS-TH")  # Thessaly: not in mona's region
    response = logged_in(mona).get(reverse("funding-region", args=["dytiki-makedonia"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "MIS-kastoria" in html and "MIS-FL" in html and "MIS-TH" not in html
    assert '<td class="num" id="region-budget">120.000,10 €</td>' in html
    assert '<td class="num" id="region-spent">3.000,40 €</td>' in html
    assert logged_in(mona).get(reverse("funding-region", args=["thessalia"])).status_code == 404


def test_exports_agree_with_the_page_to_the_cent(sam, spent):
    from openpyxl import load_workbook

    client = logged_in(sam)
    response = client.get(reverse("funding-operation-export", args=[spent.pk, "xlsx"]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.getvalue()))
    rows = list(book.worksheets[3].iter_rows(values_only=True))
    amounts = [D(str(r[2])) for r in rows[1:-1]]
    assert sum(amounts) == D("3000.35") and D(str(rows[-1][2])) == D("3000.35")
    cell = book.worksheets[3]["C2"]
    assert "€" in cell.number_format and "0.00" in cell.number_format
    facts = {r[0]: r[1] for r in book.worksheets[0].iter_rows(values_only=True)}
    assert D(str(facts["Προϋπολογισμός"])) == D("120000.00")
    assert D(str(facts["Υπόλοιπο"])) == D("116999.65")
    pdf = client.get(reverse("funding-operation-export", args=[spent.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    region = client.get(reverse("funding-region-export", args=["dytiki-makedonia", "xlsx"]))
    sheet = load_workbook(io.BytesIO(region.content)).worksheets[0]
    last = list(sheet.iter_rows(values_only=True))[-1]
    assert D(str(last[5])) == D("120000.00") and D(str(last[6])) == D("3000.35")
    assert (
        client.get(reverse("funding-operation-export", args=[spent.pk, "doc"])).status_code == 404
    )


def test_pages_in_english(sam, spent):
    html = (
        logged_in(sam)
        .get(reverse("funding-operation-detail", args=[spent.pk]), HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert "Budget in force" in html and "€120,000.00" in html


def test_home_page_links(sam, mona, alice):
    assert reverse("funding-operation-list") in logged_in(sam).get("/").content.decode()
    html = logged_in(mona).get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reverse("funding-operation-list") in html and "Operations of the region" in html
    assert reverse("funding-operation-list") not in logged_in(alice).get("/").content.decode()


def test_operation_page_and_region_view_query_counts(
    sam, mona, network, django_assert_max_num_queries
):
    ops = [make_operation(code, code=f"Q-{code}") for code in ("kastoria", "florina", "kozani")]
    for op in ops:
        services.amendment_record(
            actor=services.SYSTEM,
            operation=op,
            date=dt.date(2023, 1, 1),
            decision_ref="Α",
            reason="Β",
            new_end_date=dt.date(2025, 6, 30),
        )
        csv_rows = ["date;category;amount;document"] + [
            f"{dt.date(2022, 1, 1) + dt.timedelta(days=d):%d/%m/%Y};staff;10,00;D{d}"
            for d in range(200)
        ]
        services.expenditure_import(
            actor=services.SYSTEM,
            operation=op,
            file_name="x.csv",
            data="\n".join(csv_rows).encode(),
        )
    client = logged_in(sam)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("funding-operation-detail", args=[ops[0].pk]))
    for q in ctx.captured_queries:
        print("Q", q["sql"][:230])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("funding-operation-detail", args=[ops[0].pk])).status_code == 200
    client = logged_in(mona)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("funding-region", args=["dytiki-makedonia"]))
    assert response.status_code == 200


def test_supervisor_edits_the_details_but_not_the_budget(sam, mona, spent):
    from koinotita.audit.models import AuditEvent

    url = reverse("funding-operation-edit", args=[spent.pk])
    client = logged_in(sam)
    assert "Λειτουργία" in client.get(url).content.decode()
    data = {
        "title": "Νέος τίτλος",
        "programme": "Πρόγραμμα",
        "priority_axis": "",
        "managing_authority": "ΕΥΔ",
        "implementation_mode": "own_means",
        "positions": "3 Κοινωνικός λειτουργός",
        "note": "",
        "initial_budget": "1.00",  # not a field of this form: ignored
    }
    assert client.post(url, data).status_code == 302
    spent.refresh_from_db()
    assert spent.title == "Νέος τίτλος" and spent.implementation_mode == "own_means"
    assert spent.positions == [{"title": "Κοινωνικός λειτουργός", "count": 3}]
    assert spent.initial_budget == D("120000.00")
    assert AuditEvent.objects.filter(action="funding.operation.updated", actor=sam).count() == 1
    response = client.post(url, {**data, "title": ""})
    assert response.status_code == 200
    assert logged_in(mona).post(url, data).status_code == 403
    with pytest.raises(Exception, match="cannot be changed"):
        from django.utils import translation

        with translation.override("en"):
            services.operation_update(actor=sam, operation=spent, initial_budget="1.00")
