"""Pages over HTTP: who reaches what (another centre gets 404), reports, downloads,
submission and its snapshot, dashboards from the rollup."""

import datetime as dt
import io

import pytest

from koinotita.monitoring.conftest import enter, leave
from koinotita.monitoring.dashboards import rollup_refresh
from koinotita.monitoring.models import Participation, Submission
from koinotita.testing.clients import logged_in

D = dt.date
Q = "?scope={scope}&start=2025-01-01&end=2025-12-31&set=esf2014"


@pytest.fixture
def six(alice, person_factory):
    """Six participants at Kastoria in 2025, three of whom left employed."""
    records = []
    for i in range(6):
        person = person_factory(given=f"Όνομα{'α' * (i + 1)}", born=D(1980 + i, 1, 1),
                                sex="F" if i % 2 else "M")  # fmt: skip
        record = enter(alice, person, D(2025, 2, 1 + i), labour_status="unemployed",
                       unemployed_months=13)  # fmt: skip
        if i < 3:
            leave(alice, record, D(2025, 6, 1), "employed")
        records.append(record)
    return records


def test_caseworker_records_an_entry_prefilled_from_the_person(alice, person_factory):
    person = person_factory(born=D(1990, 5, 5), categories=["unemployed"])
    client = logged_in(alice)
    page = client.get(f"/monitoring/persons/{person.pk}/")
    assert page.status_code == 200
    assert 'value="unemployed" selected' in page.content.decode() or "unemployed" in str(
        page.context["form"].initial
    )
    response = client.post(
        f"/monitoring/persons/{person.pk}/",
        {"entry_date": "2025-03-01", "sex": "F", "labour_status": "unemployed",
         "unemployed_months": "4", "isced": "3-4", "migrant": "no",
         "foreign_background": "no", "minority": "no", "disability": "declined",
         "other_disadvantage": "no"},
    )  # fmt: skip
    assert response.status_code == 302
    record = Participation.objects.get()
    assert record.person == person and record.age_at_entry == 34
    assert record.disability == "declined"


def test_exit_before_entry_on_the_page_shows_the_error_and_saves_nothing(alice, person_factory):
    record = enter(alice, person_factory(), D(2025, 5, 1))
    response = logged_in(alice).post(
        f"/monitoring/participations/{record.pk}/exit/",
        {"exit_date": "2025-04-01", "exit_status": "employed"},
    )
    assert response.status_code == 200
    assert "exit_date" in response.context["form"].errors
    record.refresh_from_db()
    assert record.exit_date is None


def test_other_centre_gets_404_on_every_record_page(charlie, alice, person_factory):
    person = person_factory()
    record = enter(alice, person, D(2025, 5, 1))
    client = logged_in(charlie)
    for url in (
        f"/monitoring/persons/{person.pk}/",
        f"/monitoring/participations/{record.pk}/exit/",
        f"/monitoring/participations/{record.pk}/followup/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.get("/monitoring/reports/" + Q.format(scope="centre:kastoria")).status_code == 404
    assert client.get("/monitoring/dashboard/?scope=centre:kastoria").status_code == 404


def test_supervisor_sees_the_centre_report_unsuppressed(sam, six):
    response = logged_in(sam).get("/monitoring/reports/" + Q.format(scope="centre:kastoria"))
    assert response.status_code == 200
    report = response.context["report"]
    assert not report.suppressed
    outputs = report.tables[0]
    assert outputs.rows[0][1] == [3, 3, 0, 6]
    assert "esf2014-2020" in response.content.decode()


def test_monitor_sees_the_region_report_suppressed(mona, six):
    response = logged_in(mona).get(
        "/monitoring/reports/" + Q.format(scope="region:dytiki-makedonia")
    )
    assert response.status_code == 200
    report = response.context["report"]
    assert report.suppressed
    assert report.tables[0].cell(0, 0) == "✱"  # 3 women
    assert report.tables[0].cell(0, 3) == 6
    assert "Μαρία" not in response.content.decode()
    assert "Παπαδοπούλου" not in response.content.decode()


def test_monitor_of_one_region_gets_404_for_another(mona):
    response = logged_in(mona).get("/monitoring/reports/" + Q.format(scope="region:thessalia"))
    assert response.status_code == 404
    assert (
        logged_in(mona).get("/monitoring/reports/" + Q.format(scope="national")).status_code == 404
    )


def test_caseworker_cannot_reach_aggregates_above_the_centre(alice):
    client = logged_in(alice)
    assert client.get("/monitoring/reports/" + Q.format(scope="centre:kastoria")).status_code == 200
    response = client.get("/monitoring/reports/" + Q.format(scope="municipality:kastoria"))
    assert response.status_code == 404


def test_a_monitor_never_opens_a_record(mona, alice, person_factory):
    person = person_factory()
    record = enter(alice, person, D(2025, 5, 1))
    client = logged_in(mona)
    assert client.get(f"/monitoring/persons/{person.pk}/").status_code == 404
    assert client.get(f"/monitoring/participations/{record.pk}/exit/").status_code == 404


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "pdf"])
def test_report_downloads(sam, six, fmt):
    url = "/monitoring/reports/" + Q.format(scope="centre:kastoria") + f"&format={fmt}"
    response = logged_in(sam).get(url)
    assert response.status_code == 200
    content = response.content
    if fmt == "csv":
        assert content.startswith("\ufeff".encode())
        text = content.decode("utf-8-sig")
        assert ";" in text and "esf2014-2020" in text
    elif fmt == "xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(content)).active
        texts = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
        assert any("esf2014-2020" in str(t) for t in texts)
        assert 6 in texts
    else:
        assert content.startswith(b"%PDF")


def test_an_empty_period_is_an_empty_report_not_an_error(sam):
    response = logged_in(sam).get(
        "/monitoring/reports/?scope=centre:kastoria&start=2019-01-01&end=2019-12-31&set=esfplus2021"
    )
    assert response.status_code == 200
    assert response.context["report"].tables[0].rows[0][1] == [0, 0, 0, 0, 0]


def test_submission_is_a_snapshot_and_resubmission_a_new_version(
    sam, mona, alice, six, person_factory
):
    client = logged_in(sam)
    form = {"centre": "kastoria", "start": "2025-01-01", "end": "2025-12-31", "set": "esf2014"}
    response = client.post("/monitoring/reports/submit/", form)
    assert response.status_code == 302
    first = Submission.objects.get()
    assert first.version == 1 and first.indicator_version.startswith("esf2014-2020")
    # A later edit does not change the submitted figures.
    enter(alice, person_factory(given="Νέα"), D(2025, 7, 1), labour_status="employed")
    first.refresh_from_db()
    assert first.figures["tables"][0]["rows"][0]["values"][-1] == 6
    client.post("/monitoring/reports/submit/", form)
    second = Submission.objects.order_by("-version").first()
    assert second.version == 2
    assert second.figures["tables"][0]["rows"][0]["values"][-1] == 7
    # The region sees which centres submitted, with the figures suppressed.
    page = logged_in(mona).get("/monitoring/reports/" + Q.format(scope="region:dytiki-makedonia"))
    status = dict((c.code, s) for c, s in page.context["status"])
    assert status["kastoria"].version == 2 and status["florina"] is None
    detail = logged_in(mona).get(f"/monitoring/submissions/{first.pk}/")
    assert detail.status_code == 200 and detail.context["report"].suppressed


def test_only_a_supervisor_submits(alice, charlie, six):
    form = {"centre": "kastoria", "start": "2025-01-01", "end": "2025-12-31", "set": "esf2014"}
    assert logged_in(alice).post("/monitoring/reports/submit/", form).status_code == 404
    assert logged_in(charlie).post("/monitoring/reports/submit/", form).status_code == 404
    assert not Submission.objects.exists()


def test_submission_of_another_centre_is_404(sam, charlie, six):
    logged_in(sam).post(
        "/monitoring/reports/submit/",
        {"centre": "kastoria", "start": "2025-01-01", "end": "2025-12-31", "set": "esf2014"},
    )
    sub = Submission.objects.get()
    assert logged_in(charlie).get(f"/monitoring/submissions/{sub.pk}/").status_code == 404


def test_dashboard_reads_the_rollup_and_states_its_time(mona, sam, six):
    rollup_refresh(rebuild=True)
    response = logged_in(mona).get("/monitoring/dashboard/?scope=region:dytiki-makedonia")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="as-of"' in html and "monitoring-chart-data" in html
    assert html.count("<canvas") == 5
    assert "<script>" not in html  # CSP: no inline script
    download = logged_in(mona).get(
        "/monitoring/dashboard/?scope=region:dytiki-makedonia&download=contacts"
    )
    assert download.status_code == 200 and download.content.startswith("\ufeff".encode())
    assert logged_in(sam).get("/monitoring/dashboard/?scope=centre:kastoria").status_code == 200


def test_home_page_links_the_monitor_and_the_supervisor(mona, sam):
    assert "/monitoring/reports/" in logged_in(mona).get("/").content.decode()
    assert "/monitoring/dashboard/" in logged_in(sam).get("/").content.decode()


def test_activity_report_and_rollup_count_contacts_by_channel_site_and_axis(rita, sam, mona):
    from django.utils import timezone

    from koinotita.organisations.models import Site
    from koinotita.reception.selectors import service_catalogue
    from koinotita.reception.services import contact_log_anonymous

    antenna = Site.objects.get(code="kastoria-antenna-nestorio")
    service = service_catalogue().first()
    at = timezone.now() - dt.timedelta(hours=1)
    for _n in range(6):
        contact_log_anonymous(actor=rita, site=antenna, at=at, channel="antenna",
                              services=[service])  # fmt: skip
    today = timezone.localdate()
    query = f"?scope=centre:kastoria&start={today:%Y-%m-01}&end={today:%Y-%m-%d}&set=esf2014"
    report = logged_in(sam).get("/monitoring/reports/" + query).context["report"]
    tables = {t.key: t for t in report.tables}
    sites = dict(tables["sites"].shown_rows())
    assert [v for label, v in sites.items() if "Νεστορίου" in label] == [[6]]
    assert sites["Αντένα εξυπηρέτησης — σύνολο"] == [6]
    assert dict(tables["channels"].shown_rows())["Σύνολο"] == [6]
    services = dict(tables["services"].shown_rows())
    assert services["Σύνολο"] == [6]
    run = rollup_refresh(rebuild=False, months=1)
    assert run.cells >= 2
    board = logged_in(mona).get("/monitoring/dashboard/?scope=centre:kastoria").context["board"]
    contacts = {c.key: c for c in board.charts}["contacts"].table
    assert contacts.shown_rows()[-1][1] == [6]  # the 12 months' total


def test_the_report_speaks_greek_first_and_english_on_request(sam, six):
    url = "/monitoring/reports/" + Q.format(scope="centre:kastoria")
    greek = logged_in(sam).get(url).content.decode()
    assert "Δείκτες εκροών" in greek and "Άνεργοι" in greek
    english = logged_in(sam).get(url, headers={"accept-language": "en"}).content.decode()
    assert "Output indicators" in english and "Unemployed, including long-term" in english


def test_the_region_dashboard_stays_within_12_queries(mona, six):
    from koinotita.testing.queries import at_most

    rollup_refresh(rebuild=True)
    client = logged_in(mona)
    url = "/monitoring/dashboard/?scope=region:dytiki-makedonia"
    assert client.get(url).status_code == 200  # the session and audit chain exist, as live
    with at_most(12):
        response = client.get(url)
    assert response.status_code == 200 and response.content.decode().count("<canvas") == 5
