"""The import of participation records: XLSX and CSV, from the command and from the
supervisor's page — every rejected row reported with its reason, all or nothing, scoped to
the supervisor's centres, audited."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import Workbook

from koinotita.accounts.models import User
from koinotita.accounts.services import role_grant
from koinotita.audit.models import AuditEvent
from koinotita.monitoring.models import ParticipantSummary, Participation
from koinotita.testing.clients import logged_in
from koinotita.testing.identifiers import make_amka

D = dt.date
URL = "/monitoring/participations/import/"
HEADER = ["ΑΜΚΑ", "Ημερομηνία εισόδου", "Φύλο", "Ημερομηνία γέννησης",
          "Κατάσταση στην αγορά εργασίας", "Μήνες ανεργίας", "ISCED", "Αναπηρία",
          "Ημερομηνία εξόδου", "Κατάσταση κατά την έξοδο"]  # fmt: skip


def xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def maria(person_factory):
    person = person_factory(sex="F", born=D(1990, 4, 5))
    person.amka = make_amka(D(1990, 4, 5), "F")
    person.save()
    return person


@pytest.fixture
def unconsenting(person_factory):
    person = person_factory(given="Νίκος", sex="M", born=D(1985, 1, 2), consent=False)
    person.amka = make_amka(D(1985, 1, 2), "M")
    person.save()
    return person


def good_rows(maria):
    return [
        # Excel gives dates as dates and numbers as numbers (the AMKA's leading 0 dropped).
        [int(maria.amka), dt.datetime(2025, 2, 1), "", None, "άνεργη", 14, "3-4", "όχι",
         dt.datetime(2025, 6, 30), "εργαζόμενος"],
        [None, "01/03/2025", "Α", "01/01/1960", "inactive", None, "1-2", "αρνήθηκε", None, None],
    ]  # fmt: skip


def upload(data: bytes, name="records.xlsx"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_supervisor_checks_then_imports_an_xlsx_file(sam, maria):
    client = logged_in(sam)
    data = xlsx(good_rows(maria))
    page = client.post(URL, {"centre": "kastoria", "file": upload(data), "action": "check"})
    assert page.status_code == 200
    assert page.context["report"].rows_read == 2 and not page.context["report"].rejected
    assert not Participation.objects.exists()  # checking writes nothing
    page = client.post(URL, {"centre": "kastoria", "file": upload(data), "action": "import"})
    assert page.status_code == 200 and page.context["report"].written == 2
    record = Participation.objects.get(person=maria)
    assert (record.entry_date, record.age_at_entry, record.exit_status) == (
        D(2025, 2, 1), 34, "employed"
    )  # fmt: skip
    anonymous = Participation.objects.get(is_anonymous=True)
    assert anonymous.age_at_entry == 65 and anonymous.disability == "declined"
    assert ParticipantSummary.objects.count() == 2  # the reports see the imported records
    event = AuditEvent.objects.get(action="participation.imported")
    assert event.actor_username == "sam" and event.detail["written"] == 2
    assert AuditEvent.objects.filter(action="participation.entered").count() == 2


def test_the_command_reads_xlsx_too(sam, maria, tmp_path):
    path = tmp_path / "records.xlsx"
    path.write_bytes(xlsx(good_rows(maria)))
    call_command("import", "participations", str(path), "--centre", "kastoria", "--user", "sam")
    assert Participation.objects.count() == 2


def test_bad_rows_are_each_reported_and_nothing_is_written(sam, maria, unconsenting):
    rows = [
        good_rows(maria)[0],
        [None, "01/03/2025", "Α", "01/01/1960", "φοιτητής", None, "1-2", "ίσως", None, None],
        [None, "01/05/2025", "Γ", None, "inactive", None, "3-4", "όχι", "01/04/2025",
         "employed"],
        [None, "01/05/2025", "Γ", None, "inactive", None, "3-4", "όχι", None, "employed"],
        [unconsenting.amka, "01/05/2025", "", None, "inactive", None, "3-4", "όχι", None, None],
    ]  # fmt: skip
    page = logged_in(sam).post(
        URL, {"centre": "kastoria", "file": upload(xlsx(rows)), "action": "import"}
    )
    report = page.context["report"]
    assert [r.line for r in report.rejected] == [3, 4, 5, 6]
    reasons = {r.line: r.reason for r in report.rejected}
    assert "φοιτητής" in reasons[3] and "ίσως" in reasons[3]  # unknown codes, both named
    assert "πριν από την ημερομηνία εισόδου" in reasons[4]
    assert "ημερομηνία εξόδου" in reasons[5]  # a result without an exit
    assert "συγκατάθεση" in reasons[6] and "ανώνυμ" in reasons[6]
    html = page.content.decode()
    assert all(reasons[n] in html for n in reasons)
    assert report.written == 0 and not Participation.objects.exists()
    assert not ParticipantSummary.objects.exists()
    assert not AuditEvent.objects.filter(action="participation.imported").exists()


def test_the_report_speaks_english_on_request(sam, unconsenting):
    rows = [[unconsenting.amka, "01/05/2025", "", None, "inactive", None, "3-4", "no", None,
             None]]  # fmt: skip
    page = logged_in(sam).post(
        URL,
        {"centre": "kastoria", "file": upload(xlsx(rows)), "action": "import"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "has not consented to be recorded" in page.content.decode()
    assert "Nothing was imported" in page.content.decode()


def test_a_broken_file_is_refused_as_a_whole(sam):
    page = logged_in(sam).post(
        URL, {"centre": "kastoria", "file": upload(b"PK\x03\x04junk"), "action": "import"}
    )
    assert page.status_code == 200 and "XLSX" in page.content.decode()
    assert not Participation.objects.exists()


def test_another_centres_supervisor_gets_404(network, maria):
    florina = User.objects.create_user(username="fiona", password="x")
    role_grant(user=florina, role="supervisor", level="municipality",
               place=network["florina"].municipality)  # fmt: skip
    client = logged_in(florina)
    page = client.get(URL)
    assert page.status_code == 200
    assert [code for code, _label in page.context["form"].fields["centre"].choices] == [
        network["florina"].code
    ]
    response = client.post(
        URL, {"centre": "kastoria", "file": upload(xlsx(good_rows(maria))), "action": "import"}
    )
    assert response.status_code == 404
    assert not Participation.objects.exists()


def test_reception_and_caseworkers_are_refused(rita, alice, maria):
    for user in (rita, alice):
        client = logged_in(user)
        assert client.get(URL).status_code == 403
        response = client.post(
            URL,
            {"centre": "kastoria", "file": upload(xlsx(good_rows(maria))), "action": "import"},
        )
        assert response.status_code == 403
    assert not Participation.objects.exists()
