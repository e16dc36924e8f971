"""Files in and out of monitoring: every export (report page, API, `koinotita indicators`,
dashboard table, rejected rows) gives a hostile name back as inert text; the participation
import (page and command) goes through the one content check and the row cap."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from koinotita.accounts.services import api_token_create
from koinotita.conftest import logged_in
from koinotita.monitoring import dashboards
from koinotita.monitoring.models import Participation
from koinotita.organisations.models import Region
from koinotita.testing.spreadsheets import HOSTILE, assert_csv_inert, assert_xlsx_inert
from koinotita.testing.uploads import PDF, xlsx_bomb

QUERY = "scope=region:dytiki-makedonia&start=2025-01-01&end=2025-12-31&set=esf2014"


@pytest.fixture
def hostile_region(network):
    Region.objects.filter(code="dytiki-makedonia").update(name=HOSTILE, name_en=HOSTILE)


def test_report_page_exports_are_inert(mona, hostile_region):
    client = logged_in(mona)
    response = client.get(f"/monitoring/reports/?{QUERY}&format=csv")
    assert response.status_code == 200
    assert_csv_inert(response.content)
    response = client.get(f"/monitoring/reports/?{QUERY}&format=xlsx")
    assert response.status_code == 200
    assert_xlsx_inert(response.content)


def test_api_exports_are_inert(mona, hostile_region):
    _token, raw = api_token_create(user=mona, name="test")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    for fmt, check in (("csv", assert_csv_inert), ("xlsx", assert_xlsx_inert)):
        response = client.get(f"/api/v1/indicators?{QUERY}&format={fmt}")
        assert response.status_code == 200
        check(response.content)


def test_indicators_command_exports_are_inert(hostile_region, tmp_path):
    for fmt, check in (("csv", assert_csv_inert), ("xlsx", assert_xlsx_inert)):
        out = tmp_path / f"report.{fmt}"
        call_command("indicators", "--scope", "region:dytiki-makedonia", "--from", "2025-01-01",
                     "--to", "2025-12-31", "--format", fmt, "--output", str(out))  # fmt: skip
        check(out.read_bytes())


def test_dashboard_table_csv_is_inert(mona, monkeypatch):
    class Hostile:
        choices = [("x", HOSTILE)]

    monkeypatch.setattr(dashboards, "Category", Hostile)
    response = logged_in(mona).get(
        "/monitoring/dashboard/", {"scope": "region:dytiki-makedonia", "download": "categories"}
    )
    assert response.status_code == 200
    assert_csv_inert(response.content)


# --- the participation import ---------------------------------------------------------------

URL = "/monitoring/participations/import/"


@pytest.mark.parametrize(
    ("name", "data", "greek"),
    [
        ("records.csv", PDF, "μόνο αρχεία CSV, Excel"),
        ("records.html", "ΑΜΚΑ;Ημερομηνία εισόδου\n".encode(), "δεν ταιριάζει"),
        ("records.xlsx", xlsx_bomb(20 * 1024 * 1024), "βόμβα zip"),
    ],
    ids=["pdf", "wrong-name", "bomb"],
)
def test_page_refuses_a_bad_file_in_greek_and_writes_nothing(sam, name, data, greek):
    client = Client(headers={"Accept-Language": "el"})
    client.force_login(sam)
    upload = SimpleUploadedFile(name, data)
    page = client.post(URL, {"centre": "kastoria", "file": upload, "action": "import"})
    assert greek in " ".join(page.context["form"].errors["file"])
    assert not Participation.objects.exists()


def test_command_refuses_a_bomb_and_too_many_rows(sam, tmp_path, settings):
    path = tmp_path / "records.xlsx"
    path.write_bytes(xlsx_bomb(20 * 1024 * 1024))
    with pytest.raises(CommandError, match="zip"):
        call_command("import", "participations", str(path), "--centre", "kastoria",
                     "--user", "sam")  # fmt: skip
    settings.IMPORT_MAX_ROWS = 3
    path.write_bytes(xlsx_bomb(5_000, header=("ΑΜΚΑ", "Ημερομηνία εισόδου")))
    with pytest.raises(CommandError, match="3"):
        call_command("import", "participations", str(path), "--centre", "kastoria",
                     "--user", "sam")  # fmt: skip
    settings.IMPORT_MAX_BYTES = 100
    with pytest.raises(CommandError, match="100|MB"):
        call_command("import", "participations", str(path), "--centre", "kastoria",
                     "--user", "sam")  # fmt: skip
    assert not Participation.objects.exists()


def test_rejected_rows_file_is_inert(sam, tmp_path):
    path = tmp_path / "records.csv"
    hostile = HOSTILE.replace(";", ",")
    header = "ΑΜΚΑ;Ημερομηνία εισόδου;Κατάσταση στην αγορά εργασίας;ISCED\n"
    path.write_text(f"{header}{hostile};01/02/2025;άνεργη;3-4\n", encoding="utf-8")
    rejected = tmp_path / "rejected.csv"
    with pytest.raises(CommandError):
        call_command("import", "participations", str(path), "--centre", "kastoria",
                     "--user", "sam", "--rejected", str(rejected))  # fmt: skip
    assert_csv_inert(rejected.read_bytes(), hostile)
