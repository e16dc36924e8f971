"""The API (scoped as the pages), `koinotita indicators`, `koinotita monitoring rollup` and
`koinotita import participations`."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from koinotita.monitoring.conftest import enter
from koinotita.monitoring.models import Participation, RollupCell, RollupRun
from koinotita.testing.clients import api_client

D = dt.date
URL = "/api/v1/indicators?scope={}&start=2025-01-01&end=2025-12-31&set=esf2014"


def api(user):
    return api_client(user, language=None)


def test_api_gives_the_indicators_of_a_scope(mona, alice, person_factory):
    for i in range(6):
        enter(alice, person_factory(given=f"Α{'α' * i}"), D(2025, 3, 1), labour_status="employed")
    response = api(mona).get(URL.format("region:dytiki-makedonia"))
    assert response.status_code == 200
    data = response.json()
    assert data["definitions_version"].startswith("esf2014-2020")
    assert data["suppressed"] is True
    assert data["tables"][0]["rows"][0]["values"][-1] == 6


def test_api_scope_of_another_region_is_404(mona, charlie, alice):
    assert api(mona).get(URL.format("region:thessalia")).status_code == 404
    assert api(charlie).get(URL.format("centre:kastoria")).status_code == 404
    assert api(alice).get(URL.format("municipality:kastoria")).status_code == 404


def test_api_gives_csv_and_xlsx(mona):
    response = api(mona).get(URL.format("region:dytiki-makedonia") + "&format=csv")
    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode())
    response = api(mona).get(URL.format("region:dytiki-makedonia") + "&format=xlsx")
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_api_bad_set_is_422(mona):
    response = api(mona).get(
        "/api/v1/indicators?scope=region:dytiki-makedonia&start=2025-01-01&end=2025-12-31&set=x"
    )
    assert response.status_code == 422


def test_indicators_command_json_and_csv(alice, person_factory, capsysbinary, tmp_path):
    enter(alice, person_factory(), D(2025, 3, 1), labour_status="employed")
    call_command("indicators", "--scope", "centre:kastoria", "--from", "2025-01-01",
                 "--to", "2025-12-31", "--set", "esfplus2021", "--format", "json")  # fmt: skip
    data = json.loads(capsysbinary.readouterr().out)
    assert data["definitions_version"].startswith("esfplus2021")
    assert data["tables"][0]["rows"][0]["values"][4] == 1
    out = tmp_path / "n.xlsx"
    call_command("indicators", "--scope", "national", "--from", "2025-01-01", "--to",
                 "2025-12-31", "--format", "xlsx", "--output", str(out))  # fmt: skip
    assert out.read_bytes()[:2] == b"PK"
    with pytest.raises(CommandError):
        call_command("indicators", "--scope", "region:thessalia", "--from", "2025-01-01",
                     "--to", "2025-12-31", "--user", "mona")  # fmt: skip


def test_rollup_command_full_and_incremental(network, alice):
    call_command("monitoring", "rollup", "--rebuild")
    call_command("monitoring", "rollup", "--months", "2")
    assert RollupRun.objects.count() == 2
    assert RollupCell.objects.count() >= 0


HEADER = "ΑΜΚΑ;Ημερομηνία εισόδου;Φύλο;Ημερομηνία γέννησης;Κατάσταση στην αγορά εργασίας;"
HEADER += "Μήνες ανεργίας;ISCED;Αναπηρία;Ημερομηνία εξόδου;Κατάσταση κατά την έξοδο\n"


def test_import_participations_all_or_nothing(sam, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_bytes(
        (HEADER + ";01/02/2025;Γ;01/01/1990;άνεργος;14;3-4;αρνήθηκε;30/06/2025;employed\n"
         ";01/03/2025;Α;01/01/1960;inactive;;1-2;όχι;;\n").encode("cp1253")
    )  # fmt: skip
    call_command("import", "participations", str(good), "--centre", "kastoria", "--user", "sam")
    assert Participation.objects.count() == 2
    first = Participation.objects.get(entry_date=D(2025, 2, 1))
    assert first.is_anonymous and first.age_at_entry == 35 and first.exit_status == "employed"
    bad = tmp_path / "bad.csv"
    bad.write_text(
        HEADER + ";01/02/2025;Γ;;άνεργος;14;3-4;όχι;;\n"
        ";01/02/2025;Γ;;student;;3-4;όχι;;\n"
        ";01/05/2025;Γ;;inactive;;3-4;όχι;01/04/2025;employed\n",
        encoding="utf-8-sig",
    )
    rejected = tmp_path / "rejected.csv"
    with pytest.raises(CommandError):
        call_command("import", "participations", str(bad), "--centre", "kastoria",
                     "--user", "sam", "--rejected", str(rejected))  # fmt: skip
    assert Participation.objects.count() == 2  # nothing of the bad file
    text = rejected.read_bytes().decode("utf-8-sig")
    assert "student" in text and text.count("\r\n") == 3  # header + 2 rejected rows


def test_import_unknown_column_and_unknown_amka(sam, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("Ημερομηνία εισόδου;Χρώμα\n01/01/2025;μπλε\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Χρώμα"):
        call_command("import", "participations", str(path), "--centre", "kastoria",
                     "--user", "sam", "--language", "el")  # fmt: skip
    path.write_text(HEADER + "12345678901;01/02/2025;Γ;;inactive;;3-4;όχι;;\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import", "participations", str(path), "--centre", "kastoria",
                     "--user", "sam")  # fmt: skip
    assert not Participation.objects.exists()


def test_import_needs_a_supervisor(alice, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(HEADER, encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import", "participations", str(path), "--centre", "kastoria",
                     "--user", "alice")  # fmt: skip


def test_indicators_check_recomputes_a_submitted_snapshot(sam, alice, person_factory):
    from koinotita.monitoring import services
    from koinotita.monitoring.models import Submission

    k = sam.role_assignments.first().municipality.centres.get(code="kastoria")
    records = [
        enter(
            alice,
            person_factory(given=f"Β{'β' * i}", born=D(1990, 1, 1)),
            D(2025, 3, 1),
            labour_status="employed",
        )  # fmt: skip
        for i in range(3)
    ]
    services.report_submit(
        actor=sam, centre=k, start=D(2025, 1, 1), end=D(2025, 12, 31), set_key="esfplus2021"
    )
    out = io.StringIO()
    call_command("indicators", "--check", stdout=out)
    assert "reproduced" in out.getvalue() and "1 submissions reproduced" in out.getvalue()
    # A later correction of a record: the snapshot stands, and the check says what moved.
    services.participation_update_entry(
        actor=alice, record=records[0], fields={"labour_status": "inactive"}
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 of 1 submissions are not reproduced"):
        call_command("indicators", "--check", "--centre", "kastoria", stdout=out)
    text = out.getvalue()
    assert "EECO05 F: submitted 3, now 2" in text and "EECO04 F: submitted 0, now 1" in text
    sub = Submission.objects.get()
    assert sub.figures["counts"]["EECO05"]["F"] == 3  # the snapshot itself is unchanged
    with pytest.raises(CommandError, match="No submission"):
        call_command("indicators", "--check", "--submission", str(sub.pk + 1))
    with pytest.raises(CommandError, match="--scope"):
        call_command("indicators")
