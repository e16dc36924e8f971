import csv
import io
from datetime import date, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from koinotita.audit.models import AuditEvent
from koinotita.people import imports
from koinotita.people.imports import (
    ImportFileError,
    import_file_read,
    person_import,
    person_import_check,
)
from koinotita.people.models import Consent, Person
from koinotita.people.selectors import consent_in_force
from koinotita.testing.identifiers import make_afm, make_amka
from koinotita.testing.people import person_make
from koinotita.testing.users import user_with_role

HEADER = ["Επώνυμο", "Όνομα", "Πατρώνυμο", "Φύλο", "Ημερομηνία γέννησης", "ΑΜΚΑ", "ΑΦΜ", "ΑΔΤ"]
HEADER += ["Τηλέφωνο", "Email", "Διεύθυνση", "ΤΚ", "Δήμος κατοικίας", "Υπηκοότητα"]
HEADER += ["Συγκατάθεση"]
CONSENTED = "02/11/2026"
BORN = date(1985, 3, 14)
ELENI_AMKA = make_amka(BORN, "F", serial=1)
NIKOS_BORN = date(1990, 11, 2)
NIKOS_AMKA = make_amka(NIKOS_BORN, "M", serial=2)


def eleni(**overrides) -> dict:
    row = {
        "Επώνυμο": "Παπαδοπούλου",
        "Όνομα": "Ελένη",
        "Πατρώνυμο": "Γεώργιος",
        "Φύλο": "Γ",
        "Ημερομηνία γέννησης": "14/03/1985",
        "ΑΜΚΑ": ELENI_AMKA,
        "ΑΦΜ": make_afm(1234),
        "ΑΔΤ": "ab 123456",
        "Τηλέφωνο": "697 123 4567",
        "Email": "Eleni@Example.gr",
        "Διεύθυνση": "Μητροπόλεως 12",
        "ΤΚ": "52100",
        "Δήμος κατοικίας": "ΚΑΣΤΟΡΙΑ",
        "Υπηκοότητα": "Ελληνική",
        "Συγκατάθεση": CONSENTED,
    }
    row.update(overrides)
    return row


def nikos(**overrides) -> dict:
    row = {
        "Επώνυμο": "Νικολάου",
        "Όνομα": "Νίκος",
        "Φύλο": "Α",
        "Ημερομηνία γέννησης": "1990-11-02",
        "ΑΜΚΑ": NIKOS_AMKA,
        "Δήμος κατοικίας": "Nestorio",
        "Υπηκοότητα": "AL",
        "Συγκατάθεση": "2026-10-30",
    }
    row.update(overrides)
    return row


def csv_bytes(rows, *, header=HEADER, delimiter=",", encoding="utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(h, "") for h in header] if isinstance(row, dict) else row)
    return out.getvalue().encode(encoding)


def read(data: bytes, name: str = "persons.csv"):
    return import_file_read(name=name, data=data)


def run(sam, centre, data: bytes, *, name="persons.csv", partial=False, workers=1):
    with translation.override("en"):
        return person_import(
            actor=sam,
            centre=centre,
            table=read(data, name),
            partial=partial,
            workers=workers,
        )


def reasons(report) -> list[str]:
    return [row.reason for row in report.rejected]


# --- Formats ---------------------------------------------------------------------------


def test_good_csv_is_imported_with_the_rules_of_registration(sam, network):
    report = run(sam, network["kastoria"], csv_bytes([eleni(), nikos()]))
    assert report.ok and report.written == 2
    person = Person.objects.get(amka=ELENI_AMKA)
    assert person.centre == network["kastoria"]
    assert person.family_name_latin == "Papadopoulou"  # ELOT 743, as registration derives it
    assert person.sex == "F"
    assert person.birth_date == BORN
    assert person.id_document_number == "ΑΒ123456"  # Latin letters stored as Greek
    assert person.id_document_type == "police_id"
    assert person.phone_digits == "6971234567"
    assert person.email == "eleni@example.gr"
    assert person.residence_municipality.code == "kastoria"
    assert person.citizenship == "GR"
    assert person.search_key == "papadopulu eleni"
    assert person.registered_by == sam
    other = Person.objects.get(amka=NIKOS_AMKA)
    assert (other.sex, other.birth_date, other.citizenship) == ("M", NIKOS_BORN, "AL")
    assert other.residence_municipality.code == "nestorio"


def test_csv_with_bom_is_read(sam, network):
    data = "\ufeff".encode() + csv_bytes([eleni()])
    table = read(data)
    assert table.headers[0] == "Επώνυμο"
    assert run(sam, network["kastoria"], data).written == 1


def test_csv_in_windows_1253_is_read_and_said_so(sam, network):
    data = csv_bytes([eleni(), nikos()], delimiter=";", encoding="cp1253")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    report = run(sam, network["kastoria"], data)
    assert report.written == 2
    assert Person.objects.get(amka=ELENI_AMKA).family_name == "Παπαδοπούλου"
    assert any("Windows-1253" in note for note in report.notes)


def test_semicolon_delimiter_is_sniffed(sam, network):
    data = csv_bytes([eleni(Διεύθυνση="Μητροπόλεως 12, 2ος όροφος")], delimiter=";")
    table = read(data)
    assert table.delimiter == ";"
    run(sam, network["kastoria"], data)
    assert Person.objects.get(amka=ELENI_AMKA).address == "Μητροπόλεως 12, 2ος όροφος"


def test_english_headers_in_any_case_are_accepted(sam, network):
    header = ["FAMILY_NAME", "Given name", "birth_date", "amka", "municipality", "e-mail"]
    header += ["Consent Date"]
    rows = [["Papadopoulou", "Eleni", "1985-03-14", ELENI_AMKA, "kastoria", "e@example.gr"]]
    rows[0] += ["2026-11-02"]
    assert run(sam, network["kastoria"], csv_bytes(rows, header=header)).written == 1


def test_undecodable_file_is_rejected_clearly(sam, network):
    data = "Επώνυμο,Όνομα\n".encode("cp1253") + b"\x81\x88\xff,x\n"
    with translation.override("en"), pytest.raises(ImportFileError) as caught:
        read(data)
    assert "UTF-8 or Windows-1253" in caught.value.messages[0]


def test_old_xls_and_empty_files_are_rejected(sam, network):
    with translation.override("en"):
        with pytest.raises(ImportFileError, match="old Excel"):
            read(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old.xls")
        with pytest.raises(ImportFileError, match="empty"):
            read(b"  \n", "empty.csv")
        with pytest.raises(ImportFileError, match="damaged"):
            read(b"PK\x03\x04 broken", "broken.xlsx")


def xlsx_bytes(rows, *, header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_xlsx_with_dates_and_numbers_is_imported(sam, network):
    rows = [
        # a date cell, a numeric AMKA and phone, as Excel stores them
        ["Παπαδοπούλου", "Ελένη", "", "Γ", datetime(1985, 3, 14), int(ELENI_AMKA), None, None]
        + [6971234567, None, None, 52100, "Καστοριά", "GR", datetime(2026, 11, 2)],
        ["Νικολάου", "Νίκος", None, "M", "02/11/1990", NIKOS_AMKA] + [None] * 8 + ["02/11/2026"],
    ]
    report = run(sam, network["kastoria"], xlsx_bytes(rows), name="persons.xlsx")
    assert report.ok and report.written == 2, reasons(report)
    person = Person.objects.get(amka=ELENI_AMKA)
    assert person.birth_date == BORN
    assert person.phone == "6971234567"
    assert person.postal_code == "52100"


def test_xlsx_with_a_formula_is_rejected_naming_the_cell(sam, network):
    rows = [
        ["Παπαδοπούλου", "Ελένη", "", "Γ", "14/03/1985", ELENI_AMKA],
        ["Νικολάου", "Νίκος", "", "Α", "=DATE(1990,11,2)", NIKOS_AMKA],
    ]
    with translation.override("en"), pytest.raises(ImportFileError) as caught:
        read(xlsx_bytes(rows), "persons.xlsx")
    assert "E3" in caught.value.messages[0]
    assert "formula" in caught.value.messages[0]
    assert not Person.objects.exists()


def test_excel_stripped_leading_zero_of_amka_is_restored_with_a_note(sam, network):
    born = date(2001, 5, 7)  # AMKA 070501…: Excel shows 70501…, ten digits
    amka = make_amka(born, "F", serial=7)
    assert amka.startswith("0")
    report = run(
        sam,
        network["kastoria"],
        csv_bytes([eleni(ΑΜΚΑ=amka[1:], **{"Ημερομηνία γέννησης": "07/05/2001"})]),
    )
    assert report.written == 1
    assert Person.objects.get().amka == amka
    assert any("10 digits" in note and "2" in note for note in report.notes)


# --- The header -----------------------------------------------------------------------


def test_unknown_column_rejects_the_whole_file_listing_the_expected_headers(sam, network):
    data = csv_bytes([["Παπαδοπούλου", "Ελένη", "x"]], header=["Επώνυμο", "Όνομα", "Ομάδα αίματος"])
    with translation.override("en"), pytest.raises(ImportFileError) as caught:
        read(data)
    message = caught.value.messages[0]
    assert "Ομάδα αίματος" in message
    assert "Επώνυμο / family_name (required)" in message
    assert "Δήμος κατοικίας / municipality" in message


def test_missing_required_column_rejects_the_file(sam, network):
    with translation.override("en"), pytest.raises(ImportFileError, match="Required column"):
        read(csv_bytes([["Παπαδοπούλου"]], header=["Επώνυμο"]))


def test_repeated_column_and_data_without_a_header_are_rejected(sam, network):
    with translation.override("en"):
        with pytest.raises(ImportFileError, match="twice"):
            read(csv_bytes([["a", "b", "c"]], header=["Επώνυμο", "Όνομα", "family name"]))
        with pytest.raises(ImportFileError, match="without a header"):
            header = ["Επώνυμο", "Όνομα", "Συγκατάθεση"]
            read(csv_bytes([["Παπά", "Άννα", "02/11/2026", "lost"]], header=header))


# --- Rows -----------------------------------------------------------------------------


def test_invalid_amka_row_is_rejected_with_its_line_and_column(sam, network):
    bad = ELENI_AMKA[:-1] + str((int(ELENI_AMKA[-1]) + 1) % 10)
    report = run(sam, network["kastoria"], csv_bytes([nikos(), eleni(ΑΜΚΑ=bad)]), partial=True)
    assert [r.line for r in report.rejected] == [3]
    issue = report.rejected[0].issues[0]
    assert (issue.line, issue.column) == (3, "ΑΜΚΑ")
    assert "check digit" in issue.message
    assert report.written == 1


@pytest.mark.parametrize(
    ("overrides", "column", "words"),
    [
        ({"Επώνυμο": ""}, "Επώνυμο", "required"),
        ({"Όνομα": "Eλένη"}, "Όνομα", "mixes Greek and Latin"),  # Latin E
        ({"Επώνυμο": "Π" * 101}, "Επώνυμο", "at most 100 characters"),
        ({"Ημερομηνία γέννησης": "31/02/1985"}, "Ημερομηνία γέννησης", "not a real date"),
        ({"Ημερομηνία γέννησης": "14/03/85"}, "Ημερομηνία γέννησης", "dd/mm/yyyy"),
        ({"Ημερομηνία γέννησης": "01/01/2999"}, "Ημερομηνία γέννησης", "in the future"),
        ({"Ημερομηνία γέννησης": "01/01/1850"}, "Ημερομηνία γέννησης", "more than 120 years"),
        ({"ΑΦΜ": "123456789"}, "ΑΦΜ", "check digit"),
        ({"Φύλο": "ίσως"}, "Φύλο", "Unknown sex"),
        ({"Δήμος κατοικίας": "Ατλαντίδα"}, "Δήμος κατοικίας", "Unknown municipality"),
        ({"Υπηκοότητα": "Ατλάντεια"}, "Υπηκοότητα", "two-letter country code"),
        ({"Συγκατάθεση": ""}, "Συγκατάθεση", "Nobody is registered without their consent"),
        ({"Συγκατάθεση": "31/02/2026"}, "Συγκατάθεση", "not a real date"),
        ({"Συγκατάθεση": "01/01/2999"}, "Συγκατάθεση", "in the future"),
        ({"Email": "not-an-address"}, "Email", "valid email"),
        ({"Τηλέφωνο": "12"}, "Τηλέφωνο", "not a valid phone number"),
    ],
)
def test_bad_values_are_rejected_with_the_reason(sam, network, overrides, column, words):
    report = run(sam, network["kastoria"], csv_bytes([eleni(**overrides)]))
    assert report.written == 0 and len(report.rejected) == 1
    issues = report.rejected[0].issues
    assert any(i.column == column and words in i.message for i in issues), issues


def test_amka_disagreements_are_warnings_not_rejections(sam, network):
    report = run(sam, network["kastoria"], csv_bytes([eleni(Φύλο="Α")]))
    assert report.written == 1
    assert [w.line for w in report.warnings] == [2]
    assert "suggests a woman" in report.warnings[0].message


def test_duplicate_within_the_file_is_rejected(sam, network):
    rows = [eleni(), nikos(ΑΜΚΑ=ELENI_AMKA, Φύλο="Γ")]
    report = run(sam, network["kastoria"], csv_bytes(rows), partial=True)
    assert [r.line for r in report.rejected] == [3]
    assert "line 2" in report.rejected[0].reason
    assert Person.objects.count() == 1


def test_duplicate_of_an_existing_record_in_scope_is_rejected(sam, alice, network):
    existing = person_make(
        actor=alice,
        centre=network["kastoria"],
        fields={"family_name": "Παπαδοπούλου", "given_name": "Ελένη", "afm": make_afm(1234)},
    )
    report = run(sam, network["kastoria"], csv_bytes([eleni(), nikos()]), partial=True)
    assert [r.line for r in report.rejected] == [2]
    assert f"#{existing.pk}" in report.rejected[0].reason
    assert report.rejected[0].issues[0].column == "ΑΦΜ"
    assert Person.objects.count() == 2


def test_record_of_another_centre_is_not_a_duplicate(sam, charlie, network):
    person_make(
        actor=charlie,
        centre=network["florina"],
        fields={"family_name": "Παπαδοπούλου", "given_name": "Ελένη", "amka": ELENI_AMKA},
        confirm=True,
    )
    assert run(sam, network["kastoria"], csv_bytes([eleni()])).written == 1


def test_look_alike_of_an_existing_record_is_a_warning(sam, alice, network):
    person_make(
        actor=alice,
        centre=network["kastoria"],
        fields={"family_name": "Παπαδοπούλου", "given_name": "Ελένη", "birth_date": BORN},
    )
    report = run(sam, network["kastoria"], csv_bytes([eleni()]))
    assert report.written == 1
    assert any("similar name" in w.message for w in report.warnings)


def test_all_or_nothing_writes_nothing_when_one_row_fails(sam, network):
    rows = [eleni(), nikos(), nikos(ΑΜΚΑ="123", Όνομα="Κώστας")]
    report = run(sam, network["kastoria"], csv_bytes(rows))
    assert report.written == 0
    assert "Nothing was imported" in report.error
    assert [r.line for r in report.rejected] == [4]
    assert not Person.objects.exists()
    assert not AuditEvent.objects.filter(action="person.imported").exists()


def test_all_or_nothing_rolls_back_batches_already_written(sam, network, monkeypatch):
    # Valid rows are written batch by batch while the rest are checked; a rejected row
    # near the end rolls all of them back.
    monkeypatch.setattr(imports, "WRITE_BATCH", 2)
    rows = [eleni(), nikos(), nikos(ΑΜΚΑ="", ΑΦΜ="", Όνομα="Κώστας")]
    rows += [nikos(ΑΜΚΑ="", Όνομα="Πέτρος"), nikos(ΑΜΚΑ="", Όνομα="Λ1")]
    report = run(sam, network["kastoria"], csv_bytes(rows))
    assert [r.line for r in report.rejected] == [6]
    assert report.written == 0 and report.written_ids == []
    assert all(p.pk is None for p in report.valid)
    assert not Person.objects.exists()


def test_rows_written_earlier_in_the_import_are_not_taken_for_existing_records(
    sam, network, monkeypatch
):
    monkeypatch.setattr(imports, "WRITE_BATCH", 1)
    rows = [eleni(), eleni(Όνομα="Ελένη-Μαρία")]
    report = run(sam, network["kastoria"], csv_bytes(rows), partial=True)
    assert report.written == 1
    assert "line 2" in report.rejected[0].reason  # in the file, not "already registered"


def test_partial_writes_only_the_valid_rows(sam, network):
    rows = [eleni(), nikos(ΑΜΚΑ="123"), nikos(ΑΜΚΑ="", Όνομα="Κώστας")]
    report = run(sam, network["kastoria"], csv_bytes(rows), partial=True)
    assert report.written == 2
    assert sorted(Person.objects.values_list("given_name", flat=True)) == ["Ελένη", "Κώστας"]


def test_audit_event_records_the_import_and_its_consents(sam, network):
    report = run(sam, network["kastoria"], csv_bytes([eleni(), nikos()]), name="list.csv")
    event = AuditEvent.objects.get(action="person.imported")
    assert event.actor == sam
    assert event.centre == network["kastoria"]
    assert event.detail["file"] == "list.csv"
    assert (event.detail["rows_read"], event.detail["written"]) == (2, 2)
    assert event.detail["mode"] == "all-or-nothing"
    ids = sorted(Person.objects.values_list("pk", flat=True))
    assert event.detail["ids"] == report.written_ids
    covered = {pk for first, last in event.detail["ids"] for pk in range(first, last + 1)}
    assert covered == set(ids)
    assert not AuditEvent.objects.filter(action="person.created").exists()
    assert event.detail["consents"] == 2 == Consent.objects.count()


def test_a_concurrent_registration_makes_the_import_write_nothing(sam, alice, network, monkeypatch):
    # A colleague registers the same AMKA after the check looked (simulated: the check
    # finds no existing record): the database's unique constraint refuses the write and
    # nothing of the file is written.
    person_make(
        actor=alice,
        centre=network["kastoria"],
        fields={"family_name": "Νικολάου", "given_name": "Νίκος", "amka": NIKOS_AMKA},
        confirm=True,
    )
    monkeypatch.setattr(imports, "_existing", lambda visible, name, values: {})
    report = run(sam, network["kastoria"], csv_bytes([eleni(), nikos()]))
    assert report.written == 0 and report.written_ids == []
    assert "someone registered" in report.error
    assert list(Person.objects.values_list("given_name", flat=True)) == ["Νίκος"]
    assert not AuditEvent.objects.filter(action="person.imported").exists()


def test_only_a_supervisor_of_the_centre_can_import(sam, alice, network):
    from django.core.exceptions import PermissionDenied

    table = read(csv_bytes([eleni()]))
    with pytest.raises(PermissionDenied):
        person_import(actor=alice, centre=network["kastoria"], table=table)
    with pytest.raises(PermissionDenied):
        person_import(actor=sam, centre=network["florina"], table=table)


def big_file(count: int) -> bytes:
    rows = []
    start = date(1950, 1, 1)
    for i in range(count):
        born = start + timedelta(days=i // 4)
        sex = "M" if i % 2 else "F"
        rows.append(
            {
                "Επώνυμο": "Παπαδοπούλου" if sex == "F" else "Παπαδόπουλος",
                "Όνομα": ["Ελένη", "Γιώργος", "Μαρία", "Νίκος"][i % 4],
                "Φύλο": "Γ" if sex == "F" else "Α",
                "Ημερομηνία γέννησης": born.strftime("%d/%m/%Y"),
                "ΑΜΚΑ": make_amka(born, sex, serial=i % 1000),
                "ΑΦΜ": make_afm(10_000 + i),
                "Δήμος κατοικίας": "Καστοριά",
                "Συγκατάθεση": CONSENTED,
            }
        )
    return csv_bytes(rows, delimiter=";")


def test_ten_thousand_rows_are_imported(sam, network):
    report = run(sam, network["kastoria"], big_file(10_000))
    assert report.ok, reasons(report)[:3]
    assert report.written == 10_000
    assert Person.objects.filter(centre=network["kastoria"]).count() == 10_000


def test_parallel_check_gives_the_same_report_as_one_process(sam, network):
    data = big_file(3_000)[:-1] + b"\nX;Y;;;31/02/2000;;;;;;;;;\n"
    with translation.override("en"):
        one = person_import_check(actor=sam, centre=network["kastoria"], table=read(data))
        two = person_import_check(
            actor=sam, centre=network["kastoria"], table=read(data), workers=2
        )
    assert one.summary() == two.summary()
    assert [r.reason for r in one.rejected] == [r.reason for r in two.rejected]
    assert [p.amka for p in one.valid] == [p.amka for p in two.valid]
    assert [p.search_key for p in one.valid] == [p.search_key for p in two.valid]


def test_rejected_rows_csv_opens_in_greek_excel(sam, network):
    report = run(sam, network["kastoria"], csv_bytes([eleni(ΑΜΚΑ="12"), nikos()]))
    with translation.override("en"):  # the language the import ran in (see run())
        data = report.rejected_csv()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert lines[0][:3] == ["Line", "Reason", "Επώνυμο"]
    assert lines[1][0] == "2" and "11 digits" in lines[1][1]
    assert lines[1][2] == "Παπαδοπούλου"


def test_rejected_rows_csv_never_carries_a_formula(sam, network):
    report = run(sam, network["kastoria"], csv_bytes([eleni(Επώνυμο="=HYPERLINK(1)")]))
    lines = list(csv.reader(io.StringIO(report.rejected_csv().decode("utf-8-sig")), delimiter=";"))
    assert lines[1][2] == "'=HYPERLINK(1)"


# --- The command ----------------------------------------------------------------------


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_command_imports_and_prints_a_summary(sam, network, tmp_path):
    out = io.StringIO()
    path = write(tmp_path, "persons.csv", csv_bytes([eleni(), nikos()]))
    call_command("import", "persons", path, "--user", "sam", "--language", "en", stdout=out)
    text = out.getvalue()
    assert "rows read:  2" in text and "written:    2" in text
    assert Person.objects.count() == 2


def test_command_is_all_or_nothing_by_default_and_partial_on_request(sam, network, tmp_path):
    path = write(tmp_path, "persons.csv", csv_bytes([eleni(), nikos(ΑΜΚΑ="1")]))
    rejected = tmp_path / "rejected.csv"
    out = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command(
            "import", "persons", path, "--centre", "kastoria", "--user", "sam",
            "--rejected", str(rejected), "--language", "en", stdout=out,
        )  # fmt: skip
    assert "REJECTED line 3" in out.getvalue()
    assert rejected.read_bytes().startswith(b"\xef\xbb\xbf")
    assert not Person.objects.exists()
    call_command("import", "persons", path, "--user", "sam", "--partial", stdout=io.StringIO())
    assert Person.objects.count() == 1


def test_command_refuses_a_bad_file_and_a_user_who_is_not_supervisor(sam, alice, network, tmp_path):
    bad = write(tmp_path, "bad.csv", csv_bytes([["x"]], header=["Ομάδα αίματος"]))
    with pytest.raises(CommandError, match="Ομάδα αίματος"):
        call_command("import", "persons", bad, "--user", "sam", "--language", "en")
    good = write(tmp_path, "good.csv", csv_bytes([eleni()]))
    with pytest.raises(CommandError, match="supervisor"):
        call_command(
            "import", "persons", good, "--user", "alice", "--centre", "kastoria",
            "--language", "en",
        )  # fmt: skip
    assert not Person.objects.exists()


def test_command_without_a_user_imports_as_the_operator(network, tmp_path):
    worker = user_with_role("vasso", "caseworker", "centre", network["almyros"])
    header = [*HEADER, "Συγκατάθεση έλαβε"]
    path = write(
        tmp_path, "persons.csv", csv_bytes([eleni(**{"Συγκατάθεση έλαβε": "Vasso"})], header=header)
    )
    call_command("import", "persons", path, "--centre", "almyros", stdout=io.StringIO())
    person = Person.objects.get()
    assert person.centre.code == "almyros" and person.registered_by is None
    assert AuditEvent.objects.get(action="person.imported").actor is None
    assert person.consents.get().recorded_by == worker


def test_command_without_a_user_needs_who_took_each_consent(network, tmp_path):
    path = write(tmp_path, "persons.csv", csv_bytes([eleni()]))
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command(
            "import", "persons", path, "--centre", "almyros", "--language", "en",
            stdout=io.StringIO(),
        )  # fmt: skip
    assert not Person.objects.exists() and not Consent.objects.exists()


# --- Consents ---------------------------------------------------------------------------


def test_each_imported_person_gets_the_consent_of_their_row(sam, network):
    run(sam, network["kastoria"], csv_bytes([eleni(), nikos()]))
    consents = {
        c.person.given_name: (c.purpose, c.given_on, c.recorded_by.username)
        for c in Consent.objects.select_related("person", "recorded_by")
    }
    assert consents == {
        "Ελένη": ("registration", date(2026, 11, 2), "sam"),
        "Νίκος": ("registration", date(2026, 10, 30), "sam"),
    }


def test_consent_taken_by_a_colleague_and_other_purposes(sam, alice, charlie, network):
    header = [*HEADER, "Συγκατάθεση έλαβε", "Άλλες συγκαταθέσεις"]
    rows = [
        eleni(**{"Συγκατάθεση έλαβε": "alice", "Άλλες συγκαταθέσεις": "SMS, e-mail"}),
        nikos(**{"Συγκατάθεση έλαβε": "charlie"}),  # works at Florina, not here
        nikos(**{"ΑΜΚΑ": "", "Όνομα": "Νικόλαος", "Άλλες συγκαταθέσεις": "περιστέρι"}),
    ]
    report = run(sam, network["kastoria"], csv_bytes(rows, header=header), partial=True)
    assert [r.line for r in report.rejected] == [3, 4]
    assert "charlie" in report.rejected[0].reason
    assert "περιστέρι" in report.rejected[1].reason
    eleni_consents = Consent.objects.filter(person__given_name="Ελένη")
    assert sorted(eleni_consents.values_list("purpose", flat=True)) == [
        "email",
        "registration",
        "sms",
    ]
    assert {c.recorded_by for c in eleni_consents} == {alice}


def test_an_imported_person_has_their_registration_consent_in_force(sam, network):
    run(sam, network["kastoria"], csv_bytes([eleni()]))
    assert consent_in_force(Person.objects.get(), Consent.Purpose.REGISTRATION)


def test_a_file_without_the_consent_column_is_refused_whole(sam, network):
    header = [h for h in HEADER if h != "Συγκατάθεση"]
    with pytest.raises(ImportFileError, match="Συγκατάθεση"):
        read(csv_bytes([eleni()], header=header))


# --- The web page ---------------------------------------------------------------------


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


def upload(client, data: bytes, *, name="persons.csv", centre="kastoria"):
    file = io.BytesIO(data)
    file.name = name
    return client.post(
        reverse("people-import-upload"),
        {"centre": centre, "file": file},
        headers={"Accept-Language": "en"},
    )


def test_supervisor_uploads_reviews_and_confirms(sam, network, client_for, var_dir):
    client = client_for(sam)
    page = client.get(reverse("people-import-upload"), headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert "Δήμος κατοικίας" in page.content.decode()
    response = upload(client, csv_bytes([eleni(), nikos(), nikos(ΑΜΚΑ="12", Όνομα="Κώστας")]))
    assert response.status_code == 302
    review = client.get(response.url, headers={"Accept-Language": "en"})
    body = review.content.decode()
    assert review.status_code == 200
    assert "Nothing is written" not in body  # that is the upload page's text
    assert review.context["report"]["rejected"] == 1
    assert "Νικολάου Κώστας" in body and "11 digits" in body
    assert not Person.objects.exists()  # nothing written before the confirmation
    token = review.context["pending"].token

    csv_response = client.get(reverse("people-import-rejected", args=[token]))
    assert csv_response["Content-Type"].startswith("text/csv")
    assert csv_response.content.startswith(b"\xef\xbb\xbf")
    assert "Κώστας" in csv_response.content.decode("utf-8-sig")

    confirm = reverse("people-import-confirm", args=[token])
    client.post(confirm, {"mode": "all"})
    assert not Person.objects.exists()  # all-or-nothing: one row is rejected
    client.post(confirm, {"mode": "partial"})
    assert Person.objects.count() == 2
    assert AuditEvent.objects.filter(action="person.imported", actor=sam).count() == 1
    again = client.post(confirm, {"mode": "partial"}, follow=True)
    assert Person.objects.count() == 2  # a second confirmation writes nothing
    assert again.status_code == 200


def test_file_level_error_is_shown_on_the_upload_form(sam, network, client_for, var_dir):
    response = upload(client_for(sam), b"Onoma,Epitheto\nx,y\n")
    assert response.status_code == 200
    assert "Unknown column" in response.content.decode()
    assert not (var_dir / "imports").exists() or not any((var_dir / "imports").iterdir())


def test_caseworker_gets_403(alice, network, client_for, var_dir):
    client = client_for(alice)
    assert client.get(reverse("people-import-upload")).status_code == 403
    assert upload(client, csv_bytes([eleni()])).status_code == 403
    assert not Person.objects.exists()


def test_centre_outside_the_supervisors_scope_gets_404(sam, network, client_for, var_dir):
    response = upload(client_for(sam), csv_bytes([eleni()]), centre="florina")
    assert response.status_code == 404
    assert not Person.objects.exists()


def test_someone_elses_pending_import_gets_404(sam, charlie, network, client_for, var_dir):
    from koinotita.accounts.models import Role
    from koinotita.accounts.services import role_grant

    token = upload(client_for(sam), csv_bytes([eleni()])).url.rstrip("/").split("/")[-1]
    role_grant(user=charlie, role=Role.SUPERVISOR, level="centre", place=network["florina"])
    other = client_for(charlie)
    assert other.get(reverse("people-import-review", args=[token])).status_code == 404
    assert other.get(reverse("people-import-rejected", args=[token])).status_code == 404
    assert other.post(reverse("people-import-confirm", args=[token])).status_code == 404
    assert other.get(reverse("people-import-review", args=["x" * 32])).status_code == 404
    assert not Person.objects.exists()


def test_supervisor_home_offers_the_import(sam, alice, client_for):
    url = reverse("people-import-upload")
    assert url in [a.url for a in client_for(sam).get("/").context["actions"]]
    assert url not in [a.url for a in client_for(alice).get("/").context["actions"]]
