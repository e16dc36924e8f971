"""The data-quality page of a centre, its XLSX and its API: incomplete participants and
records failing a check, each with a link that fixes it; the share the indicators count;
for the centre's supervisor only (another centre: 404), audited; a handful of queries."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from koinotita.accounts.models import User
from koinotita.accounts.services import role_grant
from koinotita.audit.models import AuditEvent
from koinotita.conftest import logged_in
from koinotita.monitoring.conftest import enter, make_person
from koinotita.monitoring.tests.test_api_and_commands import api
from koinotita.testing.queries import at_most

D = dt.date
PAGE = "/monitoring/quality/kastoria/?set={}&start=2025-01-01&end=2025-12-31"
API = "/api/v1/data-quality?centre={}&start=2025-01-01&end=2025-12-31&set={}"


@pytest.fixture
def records(network, alice, charlie):
    k = network["kastoria"]
    made = {}

    def person(family, **kw):
        return make_person(k, actor=alice, family=family, born=D(1980, 1, 1), **kw)

    made["complete"] = enter(alice, person("Πλήρης"), D(2025, 2, 1))
    made["no_isced"] = enter(alice, person("Ελλιπής"), D(2025, 3, 1), isced="")
    made["flagged"] = enter(
        alice, person("Σημασμένος", sex="M"), D(2025, 4, 1), labour_status="employed",
        in_education=True,
    )  # fmt: skip
    made["non_binary"] = enter(alice, person("Τρίτος", sex="X"), D(2025, 5, 1))
    other = make_person(network["florina"], family="Φλωρινιώτης", actor=charlie)
    made["florina"] = enter(charlie, other, D(2025, 3, 1), isced="")
    return made


@pytest.fixture
def fiona(network):
    user = User.objects.create_user(username="fiona", password="x")
    role_grant(user=user, role="supervisor", level="municipality",
               place=network["florina"].municipality)  # fmt: skip
    return user


def test_the_supervisor_sees_what_blocks_each_figure(sam, records):
    response = logged_in(sam).get(PAGE.format("esf2014"))
    assert response.status_code == 200
    quality = response.context["quality"]
    # 2014-2020 reports two values of sex: the non-binary participant is incomplete there.
    assert {p.record_id: [i.code for i in p.missing] for p in quality.incomplete} == {
        records["no_isced"].pk: ["isced"],
        records["non_binary"].pk: ["sex"],
    }
    assert [(p.record_id, [c.code for c in p.checks]) for p in quality.flagged] == [
        (records["flagged"].pk, ["R04"])
    ]
    assert (quality.participants, quality.complete) == (4, 2)
    html = response.content.decode()
    assert "50.0%" in html
    assert f"/monitoring/participations/{records['no_isced'].pk}/entry/" in html
    assert f"/monitoring/participations/{records['flagged'].pk}/entry/" in html
    assert "Ελλιπής" in html and "Φλωρινιώτης" not in html and "Πλήρης" not in html


def test_esf_plus_counts_the_non_binary_participant(sam, records):
    quality = logged_in(sam).get(PAGE.format("esfplus2021")).context["quality"]
    assert [p.record_id for p in quality.incomplete] == [records["no_isced"].pk]
    assert (quality.participants, quality.complete) == (4, 3)


def test_fixing_the_record_takes_it_off_the_list(sam, records):
    client = logged_in(sam)
    record = records["no_isced"]
    page = client.get(f"/monitoring/participations/{record.pk}/entry/")
    assert page.status_code == 200
    form = {k: v for k, v in page.context["form"].initial.items() if v not in (None, False)}
    form.update(entry_date="2025-03-01", isced="3-4", labour_status="inactive",
                household_known="on")  # fmt: skip
    response = client.post(f"/monitoring/participations/{record.pk}/entry/", form)
    assert response.status_code == 302, response.context["form"].errors
    quality = client.get(PAGE.format("esfplus2021")).context["quality"]
    assert quality.incomplete == [] and quality.complete == 4


def test_another_centres_supervisor_gets_404(fiona, records):
    client = logged_in(fiona)
    assert client.get(PAGE.format("esf2014")).status_code == 404
    assert client.get(PAGE.format("esf2014") + "&format=xlsx").status_code == 404
    assert api(fiona).get(API.format("kastoria", "esf2014")).status_code == 404
    assert (
        client.get("/monitoring/quality/florina/?start=2025-01-01&end=2025-12-31").status_code
        == 200
    )
    assert not AuditEvent.objects.filter(
        action="participation.quality_listed", centre_id=records["no_isced"].centre_id
    ).exists()


def test_caseworkers_monitors_and_unknown_centres_get_404(alice, mona, sam, records):
    assert logged_in(alice).get(PAGE.format("esf2014")).status_code == 404
    assert logged_in(mona).get(PAGE.format("esf2014")).status_code == 404
    assert logged_in(sam).get("/monitoring/quality/nowhere/").status_code == 404


def test_reading_the_list_is_audited_with_the_records_shown(sam, records):
    logged_in(sam).get(PAGE.format("esf2014"))
    api(sam).get(API.format("kastoria", "esf2014"))
    events = AuditEvent.objects.filter(action="participation.quality_listed").order_by("pk")
    assert [e.detail["as"] for e in events] == ["page", "api"]
    shown = sorted([records["no_isced"].pk, records["flagged"].pk, records["non_binary"].pk])
    assert all(e.detail["records"] == shown and e.actor_id == sam.pk for e in events)
    assert {e.centre_id for e in events} == {records["no_isced"].centre_id}


def test_the_same_list_as_xlsx_and_in_the_api(sam, records):
    response = logged_in(sam).get(PAGE.format("esf2014") + "&format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert any("R04" in t for t in texts) and "50.0%" in texts
    assert any("Ελλιπής" in t for t in texts)
    data = api(sam).get(API.format("kastoria", "esf2014")).json()
    assert data["share"] == 0.5 and data["incomplete_total"] == 2
    assert data["flagged"][0]["checks"][0]["code"] == "R04"
    assert data["incomplete"][0]["fix"].endswith("/entry/")
    bad = api(sam).get(API.format("kastoria", "nope"))
    assert bad.status_code == 422


def test_the_page_stays_within_12_queries(sam, records):
    client = logged_in(sam)
    client.get(PAGE.format("esf2014"))  # warm the session
    with at_most(12):
        assert client.get(PAGE.format("esf2014")).status_code == 200


def test_the_supervisors_report_links_to_the_page(sam, records):
    html = (
        logged_in(sam)
        .get(
            "/monitoring/reports/?scope=centre:kastoria&start=2025-01-01&end=2025-12-31&set=esf2014"
        )
        .content.decode()
    )
    assert 'id="quality-link"' in html and "/monitoring/quality/kastoria/" in html


def test_the_page_shows_the_first_rows_and_the_xlsx_all(sam, records, monkeypatch):
    from koinotita.monitoring import quality

    monkeypatch.setattr(quality, "LIMIT", 1)
    client = logged_in(sam)
    found = client.get(PAGE.format("esf2014")).context["quality"]
    assert len(found.incomplete) == 1 and found.incomplete_total == 2
    sheet = load_workbook(
        io.BytesIO(client.get(PAGE.format("esf2014") + "&format=xlsx").content)
    ).active
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert any("Ελλιπής" in t for t in texts) and any("Τρίτος" in t for t in texts)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("start=2025-12-31&end=2025-01-01", "πριν από την αρχή"),
        ("start=yesterday&end=2025-12-31", ""),
    ],
)
def test_a_bad_period_is_said_on_the_page_and_nothing_breaks(sam, records, query, message):
    response = logged_in(sam).get(f"/monitoring/quality/kastoria/?{query}")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors  # the page says what is wrong with the period it was given
    if message:
        assert message in response.content.decode()
