"""The demo's operations: Grevena and Almyros with the figures of their press releases, and
plausible 2021-2027 operations for the other centres of Western Macedonia, marked as sample
data. Spending is generated month by month and loaded through the real import path.

`funding_demo_load()` is idempotent: an operation whose MIS code exists is left alone.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.db import transaction
from django.utils import timezone

from koinotita.funding import services
from koinotita.funding.models import Category, ImplementationMode, Operation, SourceKind
from koinotita.lib import spreadsheets
from koinotita.organisations.models import Centre

ROP_WM = "Επιχειρησιακό Πρόγραμμα «Δυτική Μακεδονία 2014-2020»"
ROP_TH = "Επιχειρησιακό Πρόγραμμα «Θεσσαλία 2014-2020»"
PR_WM = "Πρόγραμμα «Δυτική Μακεδονία 2021-2027»"
AXIS_1420 = "Άξονας Προτεραιότητας 9 · Επενδυτική Προτεραιότητα 9iv"
AXIS_2127 = "Προτεραιότητα 4 · Ειδικός Στόχος ESO4.11"
MA_WM = "Ειδική Υπηρεσία Διαχείρισης ΕΠ Περιφέρειας Δυτικής Μακεδονίας"
MA_TH = "Ειδική Υπηρεσία Διαχείρισης ΕΠ Περιφέρειας Θεσσαλίας"

# How a month's spending divides between categories (staff dominate a centre's costs).
SPLIT = {
    Category.STAFF: Decimal("0.78"),
    Category.OPERATING: Decimal("0.12"),
    Category.EQUIPMENT: Decimal("0.03"),
    Category.ACTIONS: Decimal("0.07"),
}
ROMA = [("Διαμεσολαβητής Ρομά", 1)]
POSITIONS = [("Κοινωνικός λειτουργός", 1), ("Ψυχολόγος", 1), ("Διοικητικός υπάλληλος", 1)]


@dataclass
class DemoOperation:
    centre: str
    code: str
    title: str
    programme: str
    axis: str
    authority: str
    start: dt.date
    end: dt.date
    budget: Decimal
    sources: list
    mode: str
    positions: list
    sample: bool
    note: str = ""
    amendment: tuple | None = None  # (date, decision, reason, new budget, new end)
    years: dict | None = None  # year → total budget of that year
    pace: Decimal = Decimal("0.97")  # share of the budget spent by the (current) end


def _operations() -> list[DemoOperation]:
    ops = [
        DemoOperation(
            centre="grevena",
            code="5002468",
            title="Κέντρο Κοινότητας Δήμου Γρεβενών",
            programme=ROP_WM,
            axis=AXIS_1420,
            authority=MA_WM,
            start=dt.date(2017, 6, 1),
            end=dt.date(2020, 5, 31),
            budget=Decimal("199800.00"),
            sources=[(SourceKind.ESF, "80"), (SourceKind.NATIONAL, "20")],
            mode=ImplementationMode.CONTRACTED,
            positions=POSITIONS,
            sample=False,
            note=(
                "Παράταση έως 31/05/2023 και τροποποίηση προϋπολογισμού σε 266.400 € "
                "(ανακοίνωση 22/01/2020). Ο αρχικός προϋπολογισμός, ο κωδικός ΟΠΣ και οι "
                "δαπάνες είναι ενδεικτικά."
            ),
            amendment=(
                dt.date(2020, 1, 22),
                "ΑΔΑ: ΩΔ3Ε7ΛΗ-ΓΡΕ",
                "Παράταση της χρηματοδότησης της λειτουργίας του Κέντρου Κοινότητας έως "
                "31/05/2023, με τροποποίηση του χρονοδιαγράμματος και του προϋπολογισμού.",
                Decimal("266400.00"),
                dt.date(2023, 5, 31),
            ),
        ),
        DemoOperation(
            centre="almyros",
            code="5010317",
            title="Κέντρο Κοινότητας Δήμου Αλμυρού",
            programme=ROP_TH,
            axis=AXIS_1420,
            authority=MA_TH,
            start=dt.date(2017, 9, 1),
            end=dt.date(2022, 8, 31),
            budget=Decimal("60000.00"),
            sources=[(SourceKind.ESF, "80"), (SourceKind.NATIONAL, "20")],
            mode=ImplementationMode.OWN_MEANS,
            positions=[("Κοινωνικός λειτουργός (προσωπικό του Δήμου)", 1)],
            sample=False,
            note=(
                "Αποδοχή ποσού 60.000 € για την πράξη «Κέντρο Κοινότητας», πενταετούς "
                "διάρκειας, με ίδια μέσα (ανακοίνωση 14/08/2017); 19.780 € για το 2017. "
                "Ο κωδικός ΟΠΣ και οι δαπάνες είναι ενδεικτικά."
            ),
            years={2017: Decimal("19780.00"), **{y: Decimal("8044.00") for y in range(2018, 2023)}},
        ),
    ]
    others = [
        ("grevena", "Γρεβενών", Decimal("345600.00"), Decimal("0.93"), True),
        ("deskati", "Δεσκάτης", Decimal("298800.00"), Decimal("0.88"), False),
        ("kastoria", "Καστοριάς", Decimal("392400.00"), Decimal("0.97"), True),
        ("argos-orestiko", "Άργους Ορεστικού", Decimal("302400.00"), Decimal("0.70"), True),
        ("kozani", "Κοζάνης", Decimal("388800.00"), Decimal("1.00"), True),
        ("eordaia", "Εορδαίας", Decimal("374400.00"), Decimal("0.95"), True),
        ("servia-velventos", "Σερβίων-Βελβεντού", Decimal("306000.00"), Decimal("0.80"), False),
        ("voio", "Βοΐου", Decimal("295200.00"), Decimal("0.92"), False),
        ("florina", "Φλώρινας", Decimal("381600.00"), Decimal("0.96"), True),
        ("amyntaio", "Αμυνταίου", Decimal("316800.00"), Decimal("0.75"), False),
    ]
    for number, (centre, genitive, budget, pace, extended) in enumerate(others):
        op = DemoOperation(
            centre=centre,
            code=f"61{number:02d}{len(centre):03d}",
            title=f"Λειτουργία Κέντρου Κοινότητας Δήμου {genitive} (2021-2027)",
            programme=PR_WM,
            axis=AXIS_2127,
            authority=MA_WM,
            start=dt.date(2024, 1, 1),
            end=dt.date(2025, 12, 31),
            budget=budget,
            sources=[(SourceKind.ESF_PLUS, "85"), (SourceKind.NATIONAL, "15")],
            mode=ImplementationMode.CONTRACTED,
            positions=POSITIONS + (ROMA if centre in ("florina", "eordaia") else []),
            sample=True,
            note="Δείγμα: επινοημένα αλλά εύλογα στοιχεία για την επίδειξη.",
            pace=pace,
        )  # fmt: skip
        if extended:
            op.amendment = (
                dt.date(2025, 11, 20),
                f"ΑΔΑ: 6Δ{number}Κ7ΛΗ-ΠΑΡ",
                "Παράταση έως 31/12/2026 σύμφωνα με την πρόσκληση συνέχισης.",
                (budget * Decimal("1.5")).quantize(Decimal("0.01")),
                dt.date(2026, 12, 31),
            )
        ops.append(op)
    return ops


def _months(start: dt.date, end: dt.date):
    month = start.replace(day=1)
    while month <= end:
        yield month
        month = (month + dt.timedelta(days=32)).replace(day=1)


def spending_rows(
    *,
    code: str,
    start: dt.date,
    end: dt.date,
    budget: Decimal,
    pace: Decimal,
    until: dt.date,
    per_month: int = 1,
    seed: int = 7,
) -> list[tuple[dt.date, str, Decimal, str]]:
    """Monthly spending per category up to `until`: about `pace` of the budget by the end."""
    rng = random.Random(f"{seed}-{code}")
    months = list(_months(start, end))
    monthly = budget * pace / len(months)
    rows = []
    spent = Decimal("0")
    for index, month in enumerate(months):
        day = min(month.replace(day=28), end)
        if day > until or day < start:
            continue
        for category, share in SPLIT.items():
            for part in range(per_month):
                noise = Decimal(rng.randint(85, 115)) / 100
                amount = (monthly * share * noise / per_month).quantize(
                    Decimal("0.01"), rounding=ROUND_DOWN
                )
                if amount <= 0 or spent + amount > budget * pace:
                    continue
                spent += amount
                on = day - dt.timedelta(days=part)
                rows.append((on, category, amount, f"{code}-{index:03d}-{category[:3]}-{part}"))
    return rows


def rows_csv(rows) -> bytes:
    """The rows as a CSV Greek Excel writes: `;` and decimal commas, in Windows-1253."""
    table = [["Ημερομηνία", "Κατηγορία", "Ποσό", "Παραστατικό"]]
    table += [[f"{on:%d/%m/%Y}", category, amount, ref] for on, category, amount, ref in rows]
    return spreadsheets.csv_bytes(table, decimal_comma=True, encoding="cp1253")


def _year_plan(op: DemoOperation, budget: Decimal, end: dt.date) -> dict[int, Decimal]:
    if op.years:
        return op.years
    months = list(_months(op.start, end))
    per_month = budget / len(months)
    plan: dict[int, Decimal] = {}
    for month in months:
        plan[month.year] = plan.get(month.year, Decimal("0")) + per_month
    plan = {y: a.quantize(Decimal("0.01"), rounding=ROUND_DOWN) for y, a in plan.items()}
    last = max(plan)
    plan[last] += budget - sum(plan.values())
    return plan


def funding_demo_load(*, today: dt.date | None = None) -> int:
    """Create the demo operations that do not exist yet; return how many were created."""
    today = today or timezone.localdate()
    created = 0
    for op in _operations():
        if Operation.objects.filter(code=op.code).exists():
            continue
        centre = Centre.objects.filter(code=op.centre).select_related("municipality").first()
        if centre is None:
            continue
        with transaction.atomic():
            operation = services.operation_create(
                actor=services.SYSTEM,
                title=op.title,
                code=op.code,
                programme=op.programme,
                priority_axis=op.axis,
                managing_authority=op.authority,
                beneficiary=centre.municipality,
                centres=[centre],
                start_date=op.start,
                end_date=op.end,
                budget=op.budget,
                sources=op.sources,
                implementation_mode=op.mode,
                positions=op.positions,
                note=op.note,
                is_sample=op.sample,
            )
            budget, end = op.budget, op.end
            if op.amendment and op.amendment[0] <= today:
                date, decision, reason, budget, end = op.amendment
                services.amendment_record(
                    actor=services.SYSTEM,
                    operation=operation,
                    date=date,
                    decision_ref=decision,
                    reason=reason,
                    new_budget=budget,
                    new_end_date=end,
                )
            for year, total in _year_plan(op, budget, end).items():
                services.year_budget_set(
                    actor=services.SYSTEM,
                    operation=operation,
                    year=year,
                    amounts=_amounts(total),
                )
            rows = spending_rows(
                code=op.code, start=op.start, end=end, budget=budget, pace=op.pace, until=today
            )
            if rows:
                result = services.expenditure_import(
                    actor=services.SYSTEM,
                    operation=operation,
                    file_name=f"{op.code}.csv",
                    data=rows_csv(rows),
                )
                if not result.ok:
                    raise RuntimeError(f"demo spending of {op.code}: {result.as_dict()}")
        created += 1
    return created


def _amounts(total: Decimal) -> dict[str, Decimal]:
    """A yearly budget divided between the categories; actions take the rounding remainder."""
    amounts = {c: (total * s).quantize(Decimal("0.01")) for c, s in SPLIT.items()}
    amounts[Category.ACTIONS] = total - sum(v for c, v in amounts.items() if c != Category.ACTIONS)
    return amounts
