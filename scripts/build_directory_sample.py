"""Builds sample_directory.json: a plausible, FICTITIOUS directory of services for Western
Macedonia, in HSDS 3.0 (an organisation package). Run it again after changing it:

    .venv/bin/python scripts/build_directory_sample.py

The bodies are of the kinds that exist there (municipal social services, employment-service
offices, hospitals and mental-health centres, child protection, food aid, NGOs), but every
name, address, telephone number, e-mail address and detail here is sample data for the demo
and the tests; e-mail addresses use the reserved `.example` domain. Every record carries the
`koinotita-record/sample` attribute, so it is marked as sample data wherever it is shown.
"""

import json
import uuid
from pathlib import Path

NAMESPACE = uuid.UUID("6f1b3c1e-5c55-4d0e-9d0b-6b6f0a9d2c11")
VERIFIED_ON = "2026-10-15"
VERIFIER = "Ομάδα δεδομένων δείγματος"

# Municipality code → (name, town, postal code, telephone prefix)
PLACES = {
    "kastoria": ("Καστοριά", "Καστοριά", "52100", "24670"),
    "nestorio": ("Νεστόριο", "Νεστόριο", "52051", "24670"),
    "argos-orestiko": ("Άργος Ορεστικό", "Άργος Ορεστικό", "52200", "24670"),
    "florina": ("Φλώρινα", "Φλώρινα", "53100", "23850"),
    "prespes": ("Πρέσπες", "Λαιμός", "53077", "23850"),
    "amyntaio": ("Αμύνταιο", "Αμύνταιο", "53200", "23860"),
    "kozani": ("Κοζάνη", "Κοζάνη", "50100", "24610"),
    "eordaia": ("Εορδαία", "Πτολεμαΐδα", "50200", "24630"),
    "servia-velventos": ("Σέρβια-Βελβεντός", "Σέρβια", "50500", "24640"),
    "voio": ("Βόιο", "Σιάτιστα", "50300", "24650"),
    "grevena": ("Γρεβενά", "Γρεβενά", "51100", "24620"),
    "deskati": ("Δεσκάτη", "Δεσκάτη", "51200", "24620"),
}
UNIT = {  # municipality → regional unit (state_province)
    "kastoria": "Καστοριάς", "nestorio": "Καστοριάς", "argos-orestiko": "Καστοριάς",
    "florina": "Φλώρινας", "prespes": "Φλώρινας", "amyntaio": "Φλώρινας",
    "kozani": "Κοζάνης", "eordaia": "Κοζάνης", "servia-velventos": "Κοζάνης", "voio": "Κοζάνης",
    "grevena": "Γρεβενών", "deskati": "Γρεβενών",
}  # fmt: skip
REGION_UNITS = {
    "kastoria": ["kastoria", "nestorio", "argos-orestiko"],
    "florina": ["florina", "prespes", "amyntaio"],
    "kozani": ["kozani", "eordaia", "servia-velventos", "voio"],
    "grevena": ["grevena", "deskati"],
}
ALL = list(PLACES)
STREETS = {
    "kastoria": ["Μητροπόλεως 36", "Ορεστιάδος 40", "Γράμμου 102", "Πλατεία Δαβάκη 1"],
    "nestorio": ["Κεντρική Πλατεία 1"],
    "argos-orestiko": ["Πλατεία Ειρήνης 3", "Βασιλέως Παύλου 12"],
    "florina": ["Σταύρου Δραγούμη 4", "Μεγάλου Αλεξάνδρου 9", "Τέρμα Ελευθερίου Βενιζέλου"],
    "prespes": ["Κεντρική οδός Λαιμού 1"],
    "amyntaio": ["Πλατεία Ελευθερίας 2", "Κωνσταντινουπόλεως 18"],
    "kozani": ["Πλατεία Νίκης 1", "Δημοκρατίας 27", "Μακεδονίας 10", "Ιωάννου Τράντα 5"],
    "eordaia": ["25ης Μαρτίου 35", "Ναυμαχίας Έλλης 14", "Κοζάνης 2"],
    "servia-velventos": ["Πλατεία Σερβίων 1", "Φιλίππου 7"],
    "voio": ["Πλατεία Τσιστοπούλου 1", "Μητροπόλεως 20"],
    "grevena": ["Πλατεία Αιμιλιανού 1", "Μακεδονομάχων 21", "Ταξιάρχου 8"],
    "deskati": ["Πλατεία Δεσκάτης 1"],
}
WEEKDAYS_MORNING = {"byday": "MO,TU,WE,TH,FR", "opens_at": "08:00:00", "closes_at": "15:00:00"}
KIND_NAMES = {
    "municipal": "Municipal service",
    "public": "Public service",
    "health": "Health or mental-health body",
    "ngo": "NGO",
    "volunteer": "Volunteer group",
    "social_enterprise": "Social enterprise",
    "church": "Church or charity",
    "other": "Other",
}
TAXONOMY_DESCRIPTIONS = {
    "koinotita-organization-kind": "Kind of organisation (Koinotita)",
    "koinotita-need": "Needs a service meets (Koinotita)",
    "koinotita-beneficiary-category": "Categories of beneficiaries a service is for (Koinotita)",
    "koinotita-municipality": "Greek municipality (Kallikratis), by Koinotita's code",
    "koinotita-capacity": "Capacity of a service: accepting referrals, waiting time in days",
    "koinotita-record": "Record keeping: sample data, last verified on, verified by",
}
NEED_NAMES = {
    "income": "Benefits and income support",
    "employment": "Employment and training",
    "health": "Health care",
    "mental_health": "Mental health",
    "addiction": "Addiction",
    "child_protection": "Child protection",
    "family": "Family support",
    "food": "Food and material aid",
    "housing": "Housing and shelter",
    "legal": "Legal aid",
    "education": "Education",
    "disability": "Disability",
    "elderly": "Care of the elderly",
    "violence": "Violence against women",
    "migrants": "Migrants and refugees",
    "roma": "Roma inclusion",
}
CATEGORY_NAMES = {
    "vulnerable": "Member of a socially vulnerable group",
    "programme": "Beneficiary of social programmes",
    "min_income": "Beneficiary of the minimum guaranteed income",
    "poverty": "Living in poverty",
    "basic_needs": "Struggling to cover basic needs or reach services",
    "unemployed": "Unemployed",
    "disability": "Person with disabilities",
    "crisis": "Hit by the economic crisis",
    "child_risk": "Child at risk",
    "migrant": "Migrant",
    "roma": "Roma",
}


def uid(*parts) -> str:
    return str(uuid.uuid5(NAMESPACE, "sample/" + "/".join(parts)))


def term_id(taxonomy: str, code: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"term/{taxonomy}/{code}"))


def attribute(entity: str, link_id: str, taxonomy: str, code: str, name: str, value: str) -> dict:
    tid = term_id(taxonomy, code)
    return {
        "id": str(uuid.uuid5(NAMESPACE, f"attribute/{link_id}/{taxonomy}/{code}")),
        "link_id": link_id,
        "taxonomy_term_id": tid,
        "link_type": "koinotita",
        "link_entity": entity,
        "value": value,
        "taxonomy_term": {
            "id": tid,
            "code": code,
            "name": name,
            "description": f"{TAXONOMY_DESCRIPTIONS[taxonomy]}: {name}",
            "taxonomy": taxonomy,
            "language": "el" if taxonomy == "koinotita-municipality" else "en",
        },
    }


def sample(entity: str, link_id: str) -> list[dict]:
    return [attribute(entity, link_id, "koinotita-record", "sample", "Sample data", "true")]


def municipality(entity: str, link_id: str, code: str) -> dict:
    return attribute(entity, link_id, "koinotita-municipality", code, PLACES[code][0], code)


def phone_number(prefix: str, serial: int) -> str:
    return f"+30 {prefix} {20000 + serial * 37 % 80000:05d}"


SERIAL = [0]


def next_serial() -> int:
    SERIAL[0] += 1
    return SERIAL[0]


def location(org_key: str, name: str, code: str, street: str, kind_note: str = "") -> dict:
    lid = uid(org_key, "location", name)
    town, postal, prefix = PLACES[code][1], PLACES[code][2], PLACES[code][3]
    return {
        "id": lid,
        "location_type": "physical",
        "organization_id": uid(org_key),
        "name": name,
        "description": kind_note or f"{name}, {town}",
        "transportation": "Προσβάσιμο με αστικό λεωφορείο· χώροι στάθμευσης κοντά.",
        "addresses": [
            {
                "id": uid(org_key, "address", name),
                "location_id": lid,
                "address_1": street,
                "city": town,
                "region": "Δυτική Μακεδονία",
                "state_province": f"Περιφερειακή Ενότητα {UNIT[code]}",
                "postal_code": postal,
                "country": "GR",
                "address_type": "physical",
            }
        ],
        "phones": [
            {
                "id": uid(org_key, "location-phone", name),
                "location_id": lid,
                "number": phone_number(prefix, next_serial()),
                "type": "voice",
                "description": "Γραμματεία",
            }
        ],
        "schedules": [
            {
                "id": uid(org_key, "location-hours", name),
                "location_id": lid,
                "freq": "WEEKLY",
                "wkst": "MO",
                **WEEKDAYS_MORNING,
                "description": "Δευτέρα έως Παρασκευή, 08:00–15:00",
            }
        ],
        "languages": [],
        "contacts": [],
        "attributes": [*sample("location", lid), municipality("location", lid, code)],
    }


def service(
    org_key: str,
    name: str,
    description: str,
    *,
    needs: list[str],
    categories: list[str] = (),
    areas: list[str],
    locations: list[dict],
    eligibility: str = "",
    min_age: int | None = None,
    max_age: int | None = None,
    accepting: bool = True,
    wait_days: int | None = None,
    wait_text: str = "",
    documents: list[str] = (),
    languages: list[tuple[str, str]] = (("Ελληνικά", "el"),),
    cost: str = "Δωρεάν",
    amount: str | None = None,
    hours: dict | None = None,
    email: str = "",
    application: str = "",
    contact: tuple[str, str] | None = None,
    prefix: str = "24610",
) -> dict:
    sid = uid(org_key, "service", name)
    svc = {
        "id": sid,
        "organization_id": uid(org_key),
        "name": name,
        "description": description,
        "status": "active",
        "eligibility_description": eligibility or "Κάτοικοι της περιοχής που εξυπηρετείται.",
        "application_process": application
        or "Με παραπομπή από το Κέντρο Κοινότητας ή αυτοπροσώπως με ραντεβού.",
        "fees_description": cost,
        "assured_date": VERIFIED_ON,
        "interpretation_services": "Με διερμηνέα μέσω του Κέντρου Κοινότητας, όταν ζητηθεί.",
        "phones": [
            {
                "id": uid(org_key, "service-phone", name),
                "service_id": sid,
                "number": phone_number(prefix, next_serial()),
                "type": "voice",
                "description": "Πληροφορίες και ραντεβού",
            }
        ],
        "schedules": [
            {
                "id": uid(org_key, "service-hours", name),
                "service_id": sid,
                "freq": "WEEKLY",
                "wkst": "MO",
                **(hours or WEEKDAYS_MORNING),
                "description": (hours or {}).get(
                    "description", "Δευτέρα έως Παρασκευή, 08:00–15:00"
                ),
            }
        ],
        "service_areas": [
            {
                "id": uid(org_key, "area", name, code),
                "service_id": sid,
                "name": f"Δήμος {PLACES[code][0]}",
                "extent_type": "municipality",
                "attributes": [
                    municipality("service_area", uid(org_key, "area", name, code), code)
                ],
            }
            for code in areas
        ],
        "service_at_locations": [
            {
                "id": uid(org_key, "sal", name, loc["name"]),
                "service_id": sid,
                "location_id": loc["id"],
                "description": f"{name} — {loc['name']}",
            }
            for loc in locations
        ],
        "languages": [
            {
                "id": uid(org_key, "language", name, code),
                "service_id": sid,
                "name": lang,
                "code": code,
            }
            for lang, code in languages
        ],
        "cost_options": [
            {
                "id": uid(org_key, "cost", name),
                "service_id": sid,
                "option": cost,
                "currency": "EUR",
                **({"amount": float(amount)} if amount else {"amount": 0}),
                "amount_description": "ανά επίσκεψη" if amount else "χωρίς χρέωση",
            }
        ],
        "required_documents": [
            {"id": uid(org_key, "document", name, doc), "service_id": sid, "document": doc}
            for doc in documents
        ],
        "contacts": [],
        "attributes": [
            *[attribute("service", sid, "koinotita-need", n, NEED_NAMES[n], n) for n in needs],
            *[
                attribute("service", sid, "koinotita-beneficiary-category", c, CATEGORY_NAMES[c], c)
                for c in categories
            ],
            attribute(
                "service",
                sid,
                "koinotita-capacity",
                "accepting_referrals",
                "Accepting referrals",
                "true" if accepting else "false",
            ),
            attribute("service", sid, "koinotita-record", "verified_by", "Verified by", VERIFIER),
            *sample("service", sid),
        ],
    }
    if wait_days is not None:
        svc["attributes"].append(
            attribute(
                "service",
                sid,
                "koinotita-capacity",
                "wait_time_days",
                "Waiting time in days",
                str(wait_days),
            )
        )
    if wait_text:
        svc["wait_time"] = wait_text
    if min_age is not None:
        svc["minimum_age"] = min_age
    if max_age is not None:
        svc["maximum_age"] = max_age
    if email:
        svc["email"] = email
    if contact:
        cid = uid(org_key, "contact", name)
        svc["contacts"].append(
            {"id": cid, "service_id": sid, "title": contact[0], "department": contact[1]}
        )
    return svc


def organization(
    key: str,
    name: str,
    description: str,
    kind: str,
    seat: str,
    *,
    alternate: str = "",
    legal: str = "",
    email: str = "",
    year: int | None = None,
) -> dict:
    oid = uid(key)
    org = {
        "id": oid,
        "name": name,
        "description": description + " (Δεδομένα δείγματος.)",
        "legal_status": legal,
        "locations": [],
        "services": [],
        "contacts": [],
        "phones": [],
        "attributes": [
            attribute(
                "organization", oid, "koinotita-organization-kind", kind, KIND_NAMES[kind], kind
            ),
            municipality("organization", oid, seat),
            attribute(
                "organization",
                oid,
                "koinotita-record",
                "last_verified_on",
                "Last verified on",
                VERIFIED_ON,
            ),
            attribute(
                "organization", oid, "koinotita-record", "verified_by", "Verified by", VERIFIER
            ),
            *sample("organization", oid),
        ],
    }
    if alternate:
        org["alternate_name"] = alternate
    if email:
        org["email"] = email
    if year:
        org["year_incorporated"] = year
    if not legal:
        del org["legal_status"]
    return org


def build() -> list[dict]:  # noqa: C901
    orgs = []

    # Municipal social services of every municipality.
    for code, (mname, town, _postal, prefix) in PLACES.items():
        key = f"municipal-social-{code}"
        org = organization(
            key,
            f"Κοινωνική Υπηρεσία Δήμου {mname}",
            f"Η Διεύθυνση Κοινωνικής Προστασίας του Δήμου {mname}: κοινωνική έρευνα, "
            "προνοιακά επιδόματα, βοήθεια στο σπίτι και στήριξη ευάλωτων νοικοκυριών.",
            "municipal",
            code,
            alternate=f"Δ/νση Κοινωνικής Προστασίας Δήμου {mname}",
            legal="ΟΤΑ α΄ βαθμού",
            email=f"koinoniki@dimos-{code}.example",
        )
        loc = location(key, f"Δημαρχείο {town}", code, STREETS[code][0])
        org["locations"].append(loc)
        org["services"] += [
            service(
                key,
                f"Κοινωνική έρευνα και προνοιακά επιδόματα — Δήμος {mname}",
                "Κοινωνική έρευνα, βεβαιώσεις κοινωνικής υπηρεσίας, αιτήσεις για προνοιακά "
                "επιδόματα αναπηρίας και έκτακτη οικονομική ενίσχυση.",
                needs=["income", "disability", "family"],
                categories=["poverty", "disability", "vulnerable", "min_income"],
                areas=[code],
                locations=[loc],
                documents=[
                    "Αστυνομική ταυτότητα ή άλλο έγγραφο ταυτοποίησης",
                    "ΑΜΚΑ",
                    "Εκκαθαριστικό σημείωμα φόρου εισοδήματος",
                ],  # fmt: skip
                wait_days=7,
                prefix=prefix,
                contact=("Κοινωνική λειτουργός", "Τμήμα Κοινωνικής Πολιτικής"),
            ),
            service(
                key,
                f"Βοήθεια στο Σπίτι — Δήμος {mname}",
                "Κατ’ οίκον φροντίδα, νοσηλευτική στήριξη και συντροφιά για ηλικιωμένους και "
                "άτομα με αναπηρία που ζουν μόνα τους.",
                needs=["elderly", "disability", "health"],
                categories=["disability", "vulnerable"],
                areas=[code],
                locations=[loc],
                min_age=65 if code not in ("kozani", "florina") else None,
                eligibility="Ηλικιωμένοι και άτομα με αναπηρία που δεν αυτοεξυπηρετούνται, "
                "με εισοδηματικά κριτήρια.",
                accepting=code not in ("voio",),
                wait_days=30 if code != "voio" else None,
                wait_text="Λίστα αναμονής" if code == "voio" else "",
                prefix=prefix,
            ),
        ]
        if code in ("kastoria", "florina", "kozani", "eordaia", "grevena"):
            org["services"].append(
                service(
                    key,
                    f"Κοινωνικό Παντοπωλείο Δήμου {mname}",
                    "Διανομή τροφίμων και ειδών πρώτης ανάγκης σε εγγεγραμμένα νοικοκυριά "
                    "κάθε δεύτερη εβδομάδα.",
                    needs=["food"],
                    categories=["poverty", "basic_needs", "min_income", "unemployed"],
                    areas=[code],
                    locations=[loc],
                    documents=[
                        "Εκκαθαριστικό σημείωμα φόρου εισοδήματος",
                        "Βεβαίωση ανεργίας (αν υπάρχει)",
                        "Πιστοποιητικό οικογενειακής κατάστασης",
                    ],  # fmt: skip
                    eligibility="Νοικοκυριά με εισόδημα κάτω από το όριο του Ελάχιστου "
                    "Εγγυημένου Εισοδήματος, μόνιμοι κάτοικοι του δήμου.",
                    hours={
                        "byday": "TU,TH",
                        "opens_at": "09:00:00",
                        "closes_at": "13:00:00",
                        "description": "Τρίτη και Πέμπτη, 09:00–13:00",
                    },  # fmt: skip
                    wait_days=3,
                    prefix=prefix,
                )
            )
        orgs.append(org)

    # Employment service (ΔΥΠΑ) offices.
    for code in ("kastoria", "florina", "kozani", "eordaia", "grevena"):
        mname, town, _p, prefix = PLACES[code]
        key = f"dypa-{code}"
        unit = next(u for u, ms in REGION_UNITS.items() if code in ms)
        org = organization(
            key,
            f"ΔΥΠΑ — Κέντρο Προώθησης Απασχόλησης (ΚΠΑ2) {town}",
            "Τοπική υπηρεσία της Δημόσιας Υπηρεσίας Απασχόλησης: εγγραφή ανέργων, "
            "επίδομα ανεργίας, εξατομικευμένη συμβουλευτική και προγράμματα απασχόλησης.",
            "public",
            code,
            alternate=f"ΚΠΑ2 {town}",
            legal="ΝΠΔΔ",
            email=f"kpa2.{code}@dypa.example",
        )
        loc = location(key, f"ΚΠΑ2 {town}", code, STREETS[code][1 % len(STREETS[code])])
        org["locations"].append(loc)
        areas = REGION_UNITS[unit] if code != "eordaia" else ["eordaia"]
        if code == "kozani":
            areas = ["kozani", "servia-velventos", "voio"]
        org["services"] += [
            service(
                key,
                f"Εγγραφή ανέργων και κάρτα ανεργίας — ΚΠΑ2 {town}",
                "Εγγραφή στο μητρώο ανέργων, ανανέωση της κάρτας ανεργίας, βεβαιώσεις "
                "ανεργίας για προνοιακά επιδόματα.",
                needs=["employment", "income"],
                categories=["unemployed", "min_income"],
                areas=areas,
                locations=[loc],
                min_age=16,
                documents=["Αστυνομική ταυτότητα", "ΑΜΚΑ", "ΑΦΜ", "Βεβαίωση διεύθυνσης κατοικίας"],
                wait_days=5,
                prefix=prefix,
            ),
            service(
                key,
                f"Εξατομικευμένη συμβουλευτική απασχόλησης — ΚΠΑ2 {town}",
                "Συνάντηση με εργασιακό σύμβουλο, ατομικό σχέδιο δράσης, ενημέρωση για "
                "προγράμματα κατάρτισης και επιχορηγούμενες θέσεις εργασίας.",
                needs=["employment", "education"],
                categories=["unemployed", "roma", "migrant", "disability"],
                areas=areas,
                locations=[loc],
                min_age=18,
                max_age=67,
                wait_days=14,
                languages=[("Ελληνικά", "el"), ("Αγγλικά", "en")],
                prefix=prefix,
            ),
        ]
        orgs.append(org)

    # Hospitals.
    hospitals = [
        ("kastoria", "Γενικό Νοσοκομείο Καστοριάς", ""),
        ("florina", "Γενικό Νοσοκομείο Φλώρινας «Ελένη Θ. Δημητρίου»", ""),
        ("kozani", "Γενικό Νοσοκομείο Κοζάνης «Μαμάτσειο»", ""),
        ("eordaia", "Γενικό Νοσοκομείο Πτολεμαΐδας «Μποδοσάκειο»", "Μποδοσάκειο"),
        ("grevena", "Γενικό Νοσοκομείο Γρεβενών", ""),
    ]
    for code, name, alternate in hospitals:
        mname, town, _p, prefix = PLACES[code]
        key = f"hospital-{code}"
        unit = next(u for u, ms in REGION_UNITS.items() if code in ms)
        org = organization(
            key,
            name,
            "Γενικό νοσοκομείο του ΕΣΥ με τμήμα επειγόντων περιστατικών, εξωτερικά "
            "ιατρεία και κοινωνική υπηρεσία.",
            "health",
            code,
            alternate=alternate,
            legal="ΝΠΔΔ (ΕΣΥ)",
            email=f"info@hospital-{code}.example",
        )
        loc = location(key, name, code, STREETS[code][-1])
        org["locations"].append(loc)
        org["services"] += [
            service(
                key,
                f"Κοινωνική Υπηρεσία — {name}",
                "Στήριξη ανασφάλιστων και ευάλωτων ασθενών: πρόσβαση στην περίθαλψη "
                "(ΠΑΑΥΠΑ), διασύνδεση με υπηρεσίες μετά την έξοδο, κακοποίηση και παραμέληση.",
                needs=["health", "child_protection", "violence"],
                categories=["vulnerable", "migrant", "roma", "poverty"],
                areas=REGION_UNITS[unit],
                locations=[loc],
                languages=[("Ελληνικά", "el"), ("Αγγλικά", "en")],
                prefix=prefix,
                contact=("Κοινωνική λειτουργός", "Κοινωνική Υπηρεσία Νοσοκομείου"),
            ),
            service(
                key,
                f"Εξωτερικά ιατρεία — {name}",
                "Τακτικά εξωτερικά ιατρεία όλων των ειδικοτήτων με ραντεβού μέσω της "
                "ηλεκτρονικής πλατφόρμας ή τηλεφωνικά.",
                needs=["health"],
                areas=REGION_UNITS[unit],
                locations=[loc],
                documents=["ΑΜΚΑ", "Παραπεμπτικό (για απογευματινά ιατρεία δεν απαιτείται)"],
                cost="Δωρεάν για ασφαλισμένους· απογευματινά ιατρεία με χρέωση",
                amount="30.00",
                wait_days=21,
                prefix=prefix,
            ),
        ]
        if code in ("kozani", "kastoria", "florina"):
            org["services"].append(
                service(
                    key,
                    f"Ψυχιατρικός Τομέας — {name}",
                    "Ψυχιατρική αξιολόγηση, εξωτερικό ψυχιατρικό ιατρείο και σύντομη νοσηλεία.",
                    needs=["mental_health", "health"],
                    categories=["vulnerable"],
                    areas=REGION_UNITS[unit],
                    locations=[loc],
                    min_age=18,
                    wait_days=10,
                    prefix=prefix,
                )
            )
        orgs.append(org)

    # Mental-health centres and addiction services.
    for code, name, ages in [
        ("kozani", "Κέντρο Ψυχικής Υγείας Κοζάνης", (18, None)),
        ("kastoria", "Κέντρο Ψυχικής Υγείας Καστοριάς", (18, None)),
        ("florina", "Κέντρο Ψυχικής Υγείας Φλώρινας", (18, None)),
        ("eordaia", "Ιατροπαιδαγωγικό Κέντρο Πτολεμαΐδας", (0, 18)),
    ]:
        mname, town, _p, prefix = PLACES[code]
        key = f"mental-{code}-{ages[0]}"
        unit = next(u for u, ms in REGION_UNITS.items() if code in ms)
        children = ages == (0, 18)
        org = organization(
            key,
            name,
            "Μονάδα ψυχικής υγείας του ΕΣΥ: διάγνωση, ψυχοθεραπεία, συμβουλευτική "
            "οικογένειας και κατ’ οίκον παρεμβάσεις.",
            "health",
            code,
            legal="Αποκεντρωμένη μονάδα ΕΣΥ",
            email=f"kpsy.{code}@hospital-{code}.example",
        )
        loc = location(key, name, code, STREETS[code][2 % len(STREETS[code])])
        org["locations"].append(loc)
        org["services"].append(
            service(
                key,
                "Παιδοψυχιατρική και λογοθεραπευτική αξιολόγηση"
                if children
                else f"Ψυχοκοινωνική υποστήριξη ενηλίκων — {town}",
                "Αξιολόγηση παιδιών και εφήβων, λογοθεραπεία, εργοθεραπεία, συμβουλευτική γονέων."
                if children
                else "Ατομική και ομαδική ψυχοθεραπεία, ψυχιατρική παρακολούθηση, "
                "υποστήριξη οικογενειών ατόμων με ψυχική νόσο.",
                needs=["mental_health", "family"]
                + (["child_protection", "education"] if children else []),
                categories=["vulnerable", "child_risk"]
                if children
                else ["vulnerable", "disability"],
                areas=REGION_UNITS[unit],
                locations=[loc],
                min_age=ages[0],
                max_age=ages[1],
                accepting=not children,
                wait_days=45 if children else 20,
                wait_text="Προτεραιότητα σε επείγοντα περιστατικά" if children else "",
                prefix=prefix,
                contact=("Ψυχολόγος", "Υποδοχή περιστατικών"),
            )
        )
        orgs.append(org)

    key = "okana-kozani"
    org = organization(
        key,
        "Μονάδα Απεξάρτησης ΟΚΑΝΑ Κοζάνης",
        "Θεραπευτικά προγράμματα για εξαρτήσεις από ουσίες και αλκοόλ, συμβουλευτική "
        "οικογενειών και πρόληψη.",
        "health",
        "kozani",
        alternate="ΟΚΑΝΑ Κοζάνης",
        legal="ΝΠΙΔ εποπτευόμενο από το Υπουργείο Υγείας",
        email="kozani@okana.example",
    )
    loc = location(key, "Μονάδα ΟΚΑΝΑ Κοζάνης", "kozani", STREETS["kozani"][3])
    org["locations"].append(loc)
    org["services"].append(
        service(
            key,
            "Συμβουλευτικός σταθμός εξαρτήσεων",
            "Πρώτη συνέντευξη, ψυχολογική υποστήριξη, ένταξη σε πρόγραμμα απεξάρτησης, "
            "υποστήριξη οικογένειας.",
            needs=["addiction", "mental_health"],
            categories=["vulnerable"],
            areas=ALL,
            locations=[loc],
            min_age=16,
            wait_days=7,
        )
    )
    orgs.append(org)

    # Child protection, women's support.
    key = "epimelites-kozani"
    org = organization(
        key,
        "Υπηρεσία Επιμελητών Ανηλίκων και Κοινωνικής Αρωγής Κοζάνης",
        "Υπηρεσία του Υπουργείου Δικαιοσύνης: κοινωνικές έρευνες για τα δικαστήρια "
        "ανηλίκων, επιμέλεια ανηλίκων, υποστήριξη θυμάτων.",
        "public",
        "kozani",
        legal="Δημόσια υπηρεσία",
        email="epimelites.kozani@justice.example",
    )
    loc = location(key, "Δικαστικό Μέγαρο Κοζάνης", "kozani", STREETS["kozani"][1])
    org["locations"].append(loc)
    org["services"].append(
        service(
            key,
            "Επιμέλεια ανηλίκων και κοινωνική έρευνα για το δικαστήριο",
            "Εποπτεία ανηλίκων με αναμορφωτικά μέτρα, έρευνες κατόπιν εισαγγελικής παραγγελίας, "
            "διασύνδεση οικογενειών με υπηρεσίες.",
            needs=["child_protection", "legal", "family"],
            categories=["child_risk"],
            areas=ALL,
            locations=[loc],
            max_age=18,
            application="Με εισαγγελική παραγγελία ή παραπομπή από κοινωνική υπηρεσία.",
            wait_days=10,
        )
    )
    orgs.append(org)

    key = "kkpp-dm"
    org = organization(
        key,
        "Κέντρο Κοινωνικής Πρόνοιας Περιφέρειας Δυτικής Μακεδονίας",
        "ΝΠΔΔ της πρόνοιας: παιδική προστασία, αναδοχή και υιοθεσία, στήριξη ατόμων με "
        "αναπηρία και ηλικιωμένων.",
        "public",
        "kozani",
        alternate="ΚΚΠΠ Δυτικής Μακεδονίας",
        legal="ΝΠΔΔ",
        email="info@kkpp-dm.example",
    )
    loc_k = location(key, "Κεντρική υπηρεσία ΚΚΠΠ (Κοζάνη)", "kozani", STREETS["kozani"][2])
    loc_f = location(
        key, "Παράρτημα Παιδικής Προστασίας Φλώρινας", "florina", STREETS["florina"][1]
    )
    org["locations"] += [loc_k, loc_f]
    org["services"] += [
        service(
            key,
            "Αναδοχή και παιδική προστασία",
            "Προστασία παιδιών σε κίνδυνο, φιλοξενία σε δομές, αναδοχή, στήριξη βιολογικών "
            "οικογενειών.",
            needs=["child_protection", "family", "housing"],
            categories=["child_risk", "vulnerable"],
            areas=ALL,
            locations=[loc_k, loc_f],
            max_age=18,
            wait_days=14,
            contact=("Κοινωνική λειτουργός", "Τμήμα Παιδικής Προστασίας"),
        ),
        service(
            key,
            "Κέντρο Διημέρευσης – Ημερήσιας Φροντίδας ΑμεΑ",
            "Ημερήσια φροντίδα, εργοθεραπεία και δημιουργική απασχόληση για άτομα με αναπηρία.",
            needs=["disability"],
            categories=["disability"],
            areas=REGION_UNITS["kozani"],
            locations=[loc_k],
            min_age=16,
            accepting=False,
            wait_text="Πλήρης πληρότητα έως τον Ιανουάριο",
        ),
    ]
    orgs.append(org)

    key = "women-kozani"
    org = organization(
        key,
        "Συμβουλευτικό Κέντρο Γυναικών Δήμου Κοζάνης",
        "Μέλος του δικτύου δομών για την πρόληψη και την καταπολέμηση της βίας κατά των "
        "γυναικών: ψυχοκοινωνική και νομική συμβουλευτική.",
        "municipal",
        "kozani",
        email="womens-centre@dimos-kozani.example",
    )
    loc = location(key, "Συμβουλευτικό Κέντρο Γυναικών", "kozani", STREETS["kozani"][3])
    org["locations"].append(loc)
    org["services"] += [
        service(
            key,
            "Συμβουλευτική γυναικών θυμάτων βίας",
            "Ψυχολογική στήριξη, νομική πληροφόρηση, συνοδεία σε υπηρεσίες, διασύνδεση με "
            "ξενώνα φιλοξενίας. Επείγουσα γραμμή SOS 15900 όλο το 24ωρο.",
            needs=["violence", "legal", "mental_health"],
            categories=["vulnerable", "migrant", "roma"],
            areas=["kozani", "eordaia", "servia-velventos", "voio", "grevena", "deskati"],
            locations=[loc],
            min_age=18,
            languages=[("Ελληνικά", "el"), ("Αγγλικά", "en"), ("Αραβικά", "ar")],
            wait_days=1,
        ),
        service(
            key,
            "Ξενώνας φιλοξενίας γυναικών και παιδιών",
            "Ασφαλής προσωρινή φιλοξενία γυναικών θυμάτων βίας και των παιδιών τους.",
            needs=["violence", "housing"],
            categories=["vulnerable"],
            areas=ALL,
            locations=[loc],
            wait_days=0,
            application="Μόνο μέσω του Συμβουλευτικού Κέντρου ή της γραμμής SOS 15900.",
        ),
    ]
    orgs.append(org)

    # Food aid and charities.
    for code, name, kind in [
        ("kastoria", "Ιερά Μητρόπολη Καστορίας — Συσσίτιο «Αγία Τράπεζα»", "church"),
        ("eordaia", "Τράπεζα Τροφίμων Εορδαίας", "volunteer"),
        ("florina", "Ελληνικός Ερυθρός Σταυρός — Περιφερειακό Τμήμα Φλώρινας", "ngo"),
        ("kozani", "Ελληνικός Ερυθρός Σταυρός — Περιφερειακό Τμήμα Κοζάνης", "ngo"),
    ]:
        mname, town, _p, prefix = PLACES[code]
        key = f"food-{code}-{kind}"
        org = organization(
            key,
            name,
            "Διανομή γευμάτων, τροφίμων και ειδών ένδυσης σε άπορους, σε συνεργασία με τον "
            "δήμο και τον ΤΕΒΑ.",
            kind,
            code,
            email=f"contact@{kind}-{code}.example",
            year=1995 if kind != "volunteer" else 2013,
        )
        loc = location(key, name.split(" — ")[-1], code, STREETS[code][-2 % len(STREETS[code])])
        org["locations"].append(loc)
        svc_name = (
            "Ημερήσιο συσσίτιο" if kind == "church" else "Διανομή τροφίμων και ειδών πρώτης ανάγκης"
        )
        org["services"].append(
            service(
                key,
                f"{svc_name} — {town}",
                "Γεύμα ή δέμα τροφίμων για όσους το χρειάζονται· διανομή ρούχων και ειδών "
                "υγιεινής σε τακτές ημέρες.",
                needs=["food"] + (["health"] if kind == "ngo" else []),
                categories=["poverty", "basic_needs", "migrant", "roma", "crisis"],
                areas=next(ms for ms in REGION_UNITS.values() if code in ms),
                locations=[loc],
                hours={
                    "byday": "MO,TU,WE,TH,FR,SA",
                    "opens_at": "12:00:00",
                    "closes_at": "14:00:00",
                    "description": "Δευτέρα έως Σάββατο, 12:00–14:00",
                },  # fmt: skip
                eligibility="Χωρίς προϋποθέσεις· προτεραιότητα σε όσους παραπέμπει το Κέντρο "
                "Κοινότητας.",
                wait_days=0,
                prefix=prefix,
                application="Αυτοπροσώπως ή με παραπομπή.",
            )
        )
        if kind == "ngo":
            org["services"].append(
                service(
                    key,
                    f"Πρώτες βοήθειες και ψυχοκοινωνική στήριξη — Ερυθρός Σταυρός {town}",
                    "Εθελοντικά κλιμάκια υγείας, πρώτες βοήθειες, υποστήριξη προσφύγων "
                    "και μεταναστών.",
                    needs=["health", "migrants"],
                    categories=["migrant", "vulnerable"],
                    areas=next(ms for ms in REGION_UNITS.values() if code in ms),
                    locations=[loc],
                    languages=[
                        ("Ελληνικά", "el"),
                        ("Αγγλικά", "en"),
                        ("Αραβικά", "ar"),
                        ("Φαρσί", "fa"),
                    ],
                    wait_days=2,
                    prefix=prefix,
                )
            )
        orgs.append(org)

    # NGOs and social enterprises.
    key = "smile-wm"
    org = organization(
        key,
        "«Το Χαμόγελο του Παιδιού» — Κέντρο Στήριξης Παιδιού και Οικογένειας Δυτικής Μακεδονίας",
        "Μη κερδοσκοπικός οργανισμός για παιδιά σε κίνδυνο: κοινωνική υποστήριξη οικογενειών, "
        "ψυχολογική στήριξη, υλική βοήθεια. Εθνική γραμμή SOS 1056.",
        "ngo",
        "kozani",
        alternate="Το Χαμόγελο του Παιδιού",
        legal="Αστική μη κερδοσκοπική εταιρεία",
        email="dm@hamogelo.example",
        year=1995,
    )
    loc = location(
        key, "Κέντρο Στήριξης Παιδιού και Οικογένειας (Κοζάνη)", "kozani", STREETS["kozani"][0]
    )
    org["locations"].append(loc)
    org["services"].append(
        service(
            key,
            "Στήριξη παιδιού και οικογένειας",
            "Κοινωνική και ψυχολογική υποστήριξη παιδιών και οικογενειών, υλική βοήθεια, "
            "ενισχυτική διδασκαλία.",
            needs=["child_protection", "family", "education", "food"],
            categories=["child_risk", "poverty", "roma", "migrant"],
            areas=ALL,
            locations=[loc],
            max_age=18,
            wait_days=7,
        )
    )
    orgs.append(org)

    key = "arsis-wm"
    org = organization(
        key,
        "Κοινωνική Οργάνωση Υποστήριξης Νέων — Γραφείο Δυτικής Μακεδονίας",
        "Μη κυβερνητική οργάνωση για την υποστήριξη νέων, Ρομά και μεταναστών: νομική "
        "συνδρομή, στέγαση, ένταξη στην εκπαίδευση.",
        "ngo",
        "eordaia",
        legal="Σωματείο",
        email="dm@youth-support.example",
        year=2002,
    )
    loc = location(key, "Γραφείο Πτολεμαΐδας", "eordaia", STREETS["eordaia"][1])
    org["locations"].append(loc)
    org["services"] += [
        service(
            key,
            "Υποστήριξη και διαμεσολάβηση για οικογένειες Ρομά",
            "Διαμεσολάβηση με σχολεία και υπηρεσίες, βοήθεια με έγγραφα και αιτήσεις, "
            "εγγραφή παιδιών στο σχολείο.",
            needs=["roma", "education", "legal"],
            categories=["roma", "child_risk", "vulnerable"],
            areas=["eordaia", "florina", "amyntaio", "kozani"],
            locations=[loc],
            languages=[("Ελληνικά", "el"), ("Ρομανί", "rom")],
            wait_days=3,
            prefix="24630",
        ),
        service(
            key,
            "Νομική συνδρομή για μετανάστες και πρόσφυγες",
            "Πληροφόρηση για άδειες διαμονής, άσυλο, οικογενειακή επανένωση· συνοδεία σε "
            "υπηρεσίες.",
            needs=["migrants", "legal"],
            categories=["migrant"],
            areas=ALL,
            locations=[loc],
            languages=[
                ("Ελληνικά", "el"),
                ("Αγγλικά", "en"),
                ("Αραβικά", "ar"),
                ("Αλβανικά", "sq"),
            ],
            wait_days=10,
            prefix="24630",
        ),
    ]
    orgs.append(org)

    key = "koinsep-florina"
    org = organization(
        key,
        "ΚοινΣΕπ «Αλληλεγγύη Φλώρινας»",
        "Κοινωνική Συνεταιριστική Επιχείρηση ένταξης: εργασία για άτομα από ευάλωτες ομάδες "
        "σε καθαριότητα, κηπουρική και μεταποίηση τοπικών προϊόντων.",
        "social_enterprise",
        "florina",
        legal="Κοινωνική Συνεταιριστική Επιχείρηση (ν. 4430/2016)",
        email="info@koinsep-florina.example",
        year=2017,
    )
    loc = location(key, "Έδρα ΚοινΣΕπ", "florina", STREETS["florina"][2])
    org["locations"].append(loc)
    org["services"].append(
        service(
            key,
            "Θέσεις εργασίας ένταξης",
            "Θέσεις μερικής και πλήρους απασχόλησης για μακροχρόνια ανέργους, ΑμεΑ και "
            "άτομα από ευάλωτες ομάδες, με συνοδεία στην εργασία.",
            needs=["employment"],
            categories=["unemployed", "disability", "vulnerable", "roma"],
            areas=REGION_UNITS["florina"],
            locations=[loc],
            min_age=18,
            accepting=True,
            wait_days=60,
            prefix="23850",
        )
    )
    orgs.append(org)

    key = "amea-kastoria"
    org = organization(
        key,
        "Σύλλογος Γονέων και Φίλων ΑμεΑ Καστοριάς",
        "Εθελοντικός σύλλογος γονέων: ενημέρωση για δικαιώματα, βοήθεια με την πιστοποίηση "
        "αναπηρίας (ΚΕΠΑ), δημιουργική απασχόληση.",
        "volunteer",
        "kastoria",
        legal="Σωματείο",
        email="info@amea-kastoria.example",
        year=1989,
    )
    loc = location(key, "Εντευκτήριο Συλλόγου", "kastoria", STREETS["kastoria"][2])
    org["locations"].append(loc)
    org["services"].append(
        service(
            key,
            "Ενημέρωση για πιστοποίηση αναπηρίας και επιδόματα",
            "Βοήθεια για την αίτηση στο ΚΕΠΑ, ενημέρωση για προνοιακά επιδόματα, ομάδες "
            "στήριξης γονέων.",
            needs=["disability", "income", "family"],
            categories=["disability"],
            areas=REGION_UNITS["kastoria"],
            locations=[loc],
            hours={
                "byday": "MO,WE",
                "opens_at": "17:00:00",
                "closes_at": "20:00:00",
                "description": "Δευτέρα και Τετάρτη, 17:00–20:00",
            },  # fmt: skip
            wait_days=0,
            prefix="24670",
        )
    )
    orgs.append(org)

    key = "lawyers-kozani"
    org = organization(
        key,
        "Δικηγορικός Σύλλογος Κοζάνης — Γραφείο Νομικής Βοήθειας",
        "Δωρεάν νομική βοήθεια σε πολίτες χαμηλού εισοδήματος (ν. 3226/2004).",
        "public",
        "kozani",
        legal="ΝΠΔΔ",
        email="nomiki-voitheia@dsk.example",
    )
    loc = location(key, "Δικαστικό Μέγαρο Κοζάνης — Γραφείο ΔΣΚ", "kozani", STREETS["kozani"][1])
    org["locations"].append(loc)
    org["services"].append(
        service(
            key,
            "Δωρεάν νομική βοήθεια",
            "Διορισμός δικηγόρου για πολιτικές και ποινικές υποθέσεις σε δικαιούχους χαμηλού "
            "εισοδήματος.",
            needs=["legal"],
            categories=["poverty", "min_income", "vulnerable"],
            areas=REGION_UNITS["kozani"] + REGION_UNITS["grevena"],
            locations=[loc],
            min_age=18,
            documents=["Εκκαθαριστικό σημείωμα φόρου εισοδήματος", "Αίτηση προς το Ειρηνοδικείο"],
            wait_days=20,
        )
    )
    orgs.append(org)
    return orgs


def main() -> None:
    target = Path(__file__).parents[1] / "koinotita/directory/data/sample_directory.json"
    package = build()
    target.write_text(json.dumps(package, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    services = sum(len(o["services"]) for o in package)
    print(f"{target}: {len(package)} organisations, {services} services")


if __name__ == "__main__":
    main()
