"""`koinotita synth`: synthetic persons, households, consents and contacts."""

import io
import random
import re
from collections import Counter
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone
from stdnum import luhn
from stdnum.gr import amka as stdnum_amka
from stdnum.gr import vat as stdnum_vat

from koinotita.accounts.models import RoleAssignment, User
from koinotita.audit.models import AuditEvent
from koinotita.demo import synthetic
from koinotita.demo.programmes import HOUSEHOLDS
from koinotita.organisations.models import Centre, Site
from koinotita.people.identifiers import amka_warnings
from koinotita.people.models import Category, Consent, Household, Person
from koinotita.people.services import person_clean, person_search_key
from koinotita.reception.models import Channel, Contact, ContactPerson
from koinotita.reception.services import contact_log

SMALL = ["--centres", "3", "--persons", "300", "--contacts", "1500", "--seed", "7"]


def synth(*args) -> str:
    out = io.StringIO()
    call_command("synth", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def generated(network):
    return synth(*SMALL)


def test_counts_match_what_was_asked(generated):
    assert Person.objects.count() == 300
    assert Contact.objects.count() == 1500
    assert Consent.objects.filter(purpose="registration").count() == 300
    assert Household.objects.count() == Person.objects.values("household").distinct().count()
    assert not Person.objects.filter(household__isnull=True).exists()
    assert "persons" in generated and "contacts" in generated and "Done in" in generated


def test_every_amka_and_afm_is_valid_and_agrees_with_birth_date_and_sex(generated):
    persons = list(Person.objects.all())
    with_amka = [p for p in persons if p.amka]
    assert len(with_amka) > 0.8 * len(persons)
    for p in with_amka:
        assert stdnum_amka.is_valid(p.amka), p.amka
        assert p.amka[:6] == p.birth_date.strftime("%d%m%y")
        assert (int(p.amka[9]) % 2 == 1) == (p.sex == "M")
        assert amka_warnings(p.amka, birth_date=p.birth_date, sex=p.sex) == []
    today = timezone.localdate()
    with_afm = [p for p in persons if p.afm]
    assert len(with_afm) > 0.5 * len(persons)
    for p in with_afm:
        assert stdnum_vat.is_valid(p.afm), p.afm
        assert (today - p.birth_date).days >= 18 * 365
    assert len({p.amka for p in with_amka}) == len(with_amka)
    assert len({p.afm for p in with_afm}) == len(with_afm)


def test_documents_phones_and_ages_are_plausible(generated):
    persons = list(Person.objects.all())
    police = [p for p in persons if p.id_document_type == "police_id"]
    assert police
    for p in police:
        assert re.fullmatch(r"[ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ]{1,2}\d{6}", p.id_document_number)
        assert not p.id_document_unverified
    for p in persons:
        if p.phone:
            assert re.fullmatch(r"69\d{8}|2\d{9}", p.phone_digits), p.phone
            assert p.phone.replace(" ", "") == p.phone_digits
    today = timezone.localdate()
    ages = [(today - p.birth_date).days / 365.25 for p in persons]
    assert min(ages) >= 0 and max(ages) < 97
    assert any(a < 18 for a in ages) and any(a >= 65 for a in ages)
    assert {p.sex for p in persons} == {"M", "F"}
    assert all(set(p.categories) <= set(Category.values) for p in persons)


def test_persons_pass_the_registration_checks(generated, alice):
    for person in Person.objects.order_by("id")[:150]:
        person.centre_id = alice.role_assignments.get().centre_id  # alice's scope
        checked = person_clean(person, actor=alice)
        assert checked.warnings == []


def test_names_have_their_female_forms_and_household_names_agree(generated):
    women = [
        p for p in Person.objects.filter(sex="F", citizenship="GR") if "roma" not in p.categories
    ]
    assert women
    for woman in women:
        assert not woman.family_name.endswith(("ος", "ης", "ας", "ός", "ής", "άς")), woman
    for household in Household.objects.prefetch_related("members")[:50]:
        members = list(household.members.all())
        heads = [m for m in members if m.household_relationship == "head"]
        assert len(heads) == 1
        for child in (m for m in members if m.household_relationship == "child"):
            parents = [m for m in members if m.household_relationship in ("head", "partner")]
            assert child.father_name in {p.given_name for p in parents if p.sex == "M"} or (
                all(p.sex == "F" for p in parents)
            )
        assert {m.address for m in members} == {household.address}
        assert {m.residence_municipality_id for m in members} == {household.municipality_id}


def test_papa_surnames_are_a_tenth_and_names_are_many():
    table = synthetic.surname_table()
    assert sum(w for *_forms, w in table) == pytest.approx(1.0)
    assert sum(w for m, _f, w in table if m.startswith("Παπα")) == pytest.approx(0.10)
    assert max(w for *_forms, w in table) < 0.02
    assert len(table) > 1000


def test_persons_belong_to_existing_centres_and_live_where_their_sites_serve(generated):
    chosen = list(Centre.objects.filter(is_active=True).order_by("id")[:3])
    assert set(Person.objects.values_list("centre_id", flat=True)) <= {c.pk for c in chosen}
    assert Centre.objects.count() == 11  # none created: the reference network has 11
    for centre in chosen:
        served = set(
            Site.objects.filter(centre=centre).values_list("serves_municipality_id", flat=True)
        )
        persons = Person.objects.filter(centre=centre)
        assert persons.exists()
        residences = Counter(persons.values_list("residence_municipality_id", flat=True))
        assert set(residences) <= served
        assert residences[centre.municipality_id] >= 0.8 * persons.count()


def test_search_key_is_the_services_key(generated):
    persons = list(Person.objects.all())
    assert all(p.search_key == person_search_key(p) for p in persons)
    assert Person.objects.exclude(family_name_latin="").count() == len(persons)


def test_contacts_are_with_persons_of_their_own_centre(generated):
    links = ContactPerson.objects.select_related("contact", "person", "contact__site")
    assert links.count() >= 1400
    for link in links:
        assert link.centre_id == link.contact.centre_id == link.person.centre_id
        assert link.contact.site.centre_id == link.contact.centre_id
        assert not link.contact.is_anonymous
        assert link.contact.at >= link.person.registered_at
    staff = dict(
        RoleAssignment.objects.filter(user__username__startswith="synth.").values_list(
            "user_id", "centre_id"
        )
    )
    for contact in Contact.objects.all():
        assert staff[contact.staff_id] == contact.centre_id
        assert contact.channel in Channel.values
    anonymous = Contact.objects.filter(is_anonymous=True)
    assert not ContactPerson.objects.filter(contact__in=anonymous).exists()


def test_contacts_fall_on_working_days_in_office_hours_over_the_years(generated):
    zone = ZoneInfo(settings.TIME_ZONE)
    now = timezone.now()
    contacts = list(Contact.objects.all())
    for contact in contacts:
        local = contact.at.astimezone(zone)
        assert local.weekday() < 5
        assert 8 <= local.hour < 16
        assert contact.at < now
        assert contact.at > now - timedelta(days=3 * 366 + 2)
        assert 1 <= contact.minutes <= 120
    assert Contact.services.through.objects.count() >= len(contacts)
    days = Counter(c.at.astimezone(zone).date() for c in contacts)
    assert not set(days) & synthetic.public_holidays(timezone.localdate().year - 1)


def test_a_synthetic_person_can_be_served_through_the_real_service(generated):
    person = Person.objects.order_by("id").first()
    staff = User.objects.get(pk=Contact.objects.filter(centre=person.centre).first().staff_id)
    site = Site.objects.get(centre=person.centre, kind="main")
    contact = contact_log(
        actor=staff, site=site, persons=[person], at=timezone.now(), channel="phone"
    )
    assert contact.pk and contact.centre_id == person.centre_id


def _snapshot():
    persons = list(Person.objects.order_by("id"))
    first = persons[0].pk
    first_household = min(p.household_id for p in persons)
    rows = [
        (p.pk - first, p.centre_id, p.family_name, p.given_name, p.father_name, p.mother_name,
         p.sex, p.birth_date, p.amka, p.afm, p.id_document_number, p.phone, p.address,
         tuple(p.categories), p.household_id - first_household, p.household_relationship)
        for p in persons
    ]  # fmt: skip
    links = dict(ContactPerson.objects.values_list("contact_id", "person_id"))
    contacts = [
        (c.centre_id, c.site_id, c.at, c.channel, c.staff_id, c.minutes, c.request,
         links.get(c.pk, first - 1) - first)
        for c in Contact.objects.order_by("id")
    ]  # fmt: skip
    return rows, contacts


def _delete_generated():
    Contact.services.through.objects.all().delete()
    ContactPerson.objects.all().delete()
    Contact.objects.all().delete()
    Consent.objects.all().delete()
    Person.objects.all().delete()
    Household.objects.all().delete()


def test_the_same_seed_gives_the_same_data(network):
    synth(*SMALL)
    first = _snapshot()
    _delete_generated()
    synth(*SMALL)  # the staff of the first run are reused
    assert _snapshot() == first
    _delete_generated()
    synth("--centres", "3", "--persons", "300", "--contacts", "1500", "--seed", "8")
    assert _snapshot() != first


def test_running_twice_adds_more_with_new_identifiers(network):
    synth(*SMALL)
    staff = User.objects.filter(username__startswith="synth.").count()
    synth(*SMALL)
    assert Person.objects.count() == 600
    assert Contact.objects.count() == 3000
    assert User.objects.filter(username__startswith="synth.").count() == staff
    for name in ("amka", "afm", "id_document_number"):
        values = list(Person.objects.exclude(**{name: ""}).values_list(name, flat=True))
        assert len(values) == len(set(values)), name


def test_if_empty_does_nothing_when_the_centres_have_persons(network):
    synth(*SMALL, "--if-empty")
    text = synth(*SMALL, "--if-empty")
    assert "nothing generated" in text
    assert Person.objects.count() == 300


def test_one_audit_event_per_run(generated):
    events = AuditEvent.objects.filter(action="synth.generated")
    assert events.count() == 1
    detail = events.get().detail
    assert detail["persons"] == 300 and detail["contacts"] == 1500 and detail["seed"] == 7
    assert AuditEvent.objects.filter(action__startswith="person.").count() == 0


def test_extra_centres_are_created_in_real_municipalities_with_a_main_office(network):
    synth("--centres", "14", "--persons", "140", "--contacts", "0", "--seed", "1")
    created = Centre.objects.filter(note__startswith="Synthetic")
    assert created.count() == 3
    for centre in created:
        assert centre.municipality.regional_unit.region
        assert Site.objects.filter(centre=centre, kind="main").count() == 1
        assert Person.objects.filter(centre=centre).exists()
        assert 3 <= RoleAssignment.objects.filter(centre=centre).count() <= 8
    assert Person.objects.count() == 140


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--persons", "-1"], "--persons must be zero or more"),
        (["--contacts", "-5"], "--contacts must be zero or more"),
        (["--centres", "-2"], "--centres must be zero or more"),
        (["--years", "0"], "--years must be between 1 and 30"),
        (["--persons", "many"], "Not a whole number"),
        (["--persons", "0", "--contacts", "10"], "Contacts are generated for the persons"),
        (["--centres", "0", "--persons", "10"], "at least one centre"),
    ],
)
def test_bad_arguments_give_a_clear_error(network, args, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        synth(*args)
    assert not Person.objects.exists()


def test_bulk_mode_re_creates_every_index_and_foreign_key(network, monkeypatch):
    def schema():
        with connection.cursor() as cursor:
            tables = {
                t: connection.introspection.get_constraints(cursor, t)
                for t in ("people_person", "reception_contact", "reception_contactperson")
            }
        return {t: sorted((n, str(c["columns"]), c["foreign_key"]) for n, c in cs.items())
                for t, cs in tables.items()}  # fmt: skip

    before = schema()
    monkeypatch.setattr(synthetic, "BULK_MIN_ROWS", 0)
    monkeypatch.setattr(synthetic, "BULK_MIN_RATIO", 0)
    monkeypatch.setattr(synthetic, "BATCH", 60)  # PostgreSQL: contacts from a forked process
    result = synthetic.synth_generate(
        centres=2, persons=50, contacts=200, seed=3, stream=io.StringIO()
    )
    if connection.vendor == "postgresql":
        assert "reception_contact" in result.bulk_tables
        assert any(p.name == "indexes" for p in result.phases)
    else:
        assert result.bulk_tables == []  # SQLite: plain inserts
    assert schema() == before
    assert Person.objects.count() == 50 and Contact.objects.count() == 200


def test_check_digit_helpers_agree_with_stdnum():
    rng = random.Random(5)
    for _ in range(500):
        number = str(rng.randrange(10**9, 10**10))
        assert synthetic.luhn_digit(number) == luhn.calc_check_digit(number)
        first8 = f"{rng.randrange(10**8):08d}"
        assert stdnum_vat.is_valid(first8 + synthetic.afm_check_digit(first8))


def test_orthodox_easter_and_holidays():
    assert synthetic.orthodox_easter(2024).isoformat() == "2024-05-05"
    assert synthetic.orthodox_easter(2025).isoformat() == "2025-04-20"
    holidays = {d.isoformat() for d in synthetic.public_holidays(2024)}
    assert {"2024-03-25", "2024-05-03", "2024-05-06", "2024-03-18", "2024-06-24"} <= holidays


def test_the_demo_loads_synthetic_data_once(db):
    for _ in range(2):
        out = io.StringIO()
        call_command("demo", "--no-serve", stdout=out)
        assert "[4/4] Synthetic data…" in out.getvalue()
    assert "nothing generated" in out.getvalue()
    almyros = sum(len(h.members) for h in HOUSEHOLDS)  # registered by the demo's Almyros worker
    assert Person.objects.count() == 3000 + almyros
    assert Person.objects.filter(registered_by__username__startswith="synth.").count() == 3000
    assert Contact.objects.count() == 15000
    assert Person.objects.filter(centre__code="kastoria").exists()


def test_a_failure_leaves_nothing_behind(network, monkeypatch):
    def schema():
        with connection.cursor() as cursor:
            return sorted(connection.introspection.get_constraints(cursor, "people_person"))

    before = schema()
    monkeypatch.setattr(synthetic, "BULK_MIN_ROWS", 0)
    monkeypatch.setattr(synthetic, "BULK_MIN_RATIO", 0)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(synthetic, "_generate_contacts", broken)
    with pytest.raises(RuntimeError):
        synth(*SMALL)
    assert not Person.objects.exists() and not Household.objects.exists()
    assert not User.objects.filter(username__startswith="synth.").exists()
    assert not AuditEvent.objects.filter(action="synth.generated").exists()
    assert schema() == before


def test_copy_text_escapes_what_copy_needs():
    assert synthetic.copy_text("a\tb\\c\nd") == "a\\tb\\\\c\\nd"
    assert synthetic.copy_text(None) == "\\N"
    assert synthetic.copy_text(True) == "t" and synthetic.copy_text(3) == "3"
    assert synthetic.copy_text([]) == "[]"
    assert synthetic.copy_text("Κατ' οίκον") == "Κατ' οίκον"
