"""Small-cell suppression: the ONE place it is done.

Every report that leaves a centre (any scope above one centre, and whatever a monitor
reads) passes its tables through `suppress()` before they are shown, exported or returned
by the API. Rules:

1. primary: a cell counting 1 to 4 persons is suppressed (0 is shown: it reveals no one);
2. secondary: in every line that adds up to a total (a row with its row total, a column
   with its column total, the rows of a declared group with their total row), a suppressed
   cell must not be the only one, or it could be worked out by subtraction: the
   next-smallest visible cell of that line is suppressed too; repeated over rows and
   columns until nothing changes.

A suppressed cell's value is replaced by None and the cell is marked (`MARK`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

THRESHOLD = 5
MARK = "✱"


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]  # headers of the value columns (the row label column excluded)
    rows: list[tuple[str, list[int | None]]]
    row_total: bool = False  # the last column is the sum of the others
    col_total: bool = False  # the last row is the sum of the others
    # Further rows that add up, per column: (member rows…, total row), e.g. the three
    # labour-market statuses add up to the participants, the services of an axis to the axis.
    groups: list[list[int]] = field(default_factory=list)
    suppressed: set[tuple[int, int]] = field(default_factory=set)
    note: str = ""

    def value(self, r: int, c: int) -> int | None:
        return self.rows[r][1][c]

    def cell(self, r: int, c: int):
        """What is shown: the number, or the mark."""
        return MARK if (r, c) in self.suppressed else self.rows[r][1][c]

    def shown_rows(self) -> list[tuple[str, list]]:
        """The rows as they are shown: numbers, or the mark where suppressed."""
        return [
            (label, [self.cell(r, c) for c in range(len(values))])
            for r, (label, values) in enumerate(self.rows)
        ]

    def as_json(self) -> dict:
        return {
            "key": self.key,
            "title": str(self.title),
            "columns": [str(c) for c in self.columns],
            "rows": [
                {"label": str(label), "values": [self._json_cell(r, c) for c in range(len(v))]}
                for r, (label, v) in enumerate(self.rows)
            ],
            "row_total": self.row_total,
            "col_total": self.col_total,
            "groups": self.groups,
        }

    def _json_cell(self, r: int, c: int):
        return None if (r, c) in self.suppressed else self.rows[r][1][c]

    @classmethod
    def from_json(cls, data: dict) -> Table:
        return cls(
            key=data["key"],
            title=data["title"],
            columns=list(data["columns"]),
            rows=[(row["label"], list(row["values"])) for row in data["rows"]],
            row_total=data.get("row_total", False),
            col_total=data.get("col_total", False),
            groups=[list(g) for g in data.get("groups", [])],
        )


def _lines(table: Table) -> list[list[tuple[int, int]]]:
    """The groups of cells that add up (members and their total)."""
    n_rows, n_cols = len(table.rows), len(table.columns)
    lines = []
    if table.row_total and n_cols > 1:
        lines.extend([(r, c) for c in range(n_cols)] for r in range(n_rows))
    if table.col_total and n_rows > 1:
        lines.extend([(r, c) for r in range(n_rows)] for c in range(n_cols))
    for group in table.groups:
        lines.extend([(r, c) for r in group] for c in range(n_cols))
    return lines


def suppress(table: Table) -> Table:
    """Suppress the table's small cells in place (and return it)."""
    hidden = table.suppressed
    for r, (_label, values) in enumerate(table.rows):
        for c, value in enumerate(values):
            if value is not None and 0 < value < THRESHOLD:
                hidden.add((r, c))
    lines = _lines(table)
    changed = True
    while changed:
        changed = False
        for line in lines:
            inside = [cell for cell in line if cell in hidden]
            if len(inside) != 1:
                continue
            visible = [cell for cell in line if cell not in hidden]
            if not visible:
                continue
            smallest = min(visible, key=lambda cell: (table.value(*cell) or 0, cell))
            hidden.add(smallest)
            changed = True
    for r, c in hidden:
        table.rows[r][1][c] = None
    return table


def reveals_small_cell(table: Table) -> str:
    """Why the table, as shown, gives away a count under 5 ("" if it does not): a visible
    1–4, or a line with exactly one hidden cell that subtraction would recover."""
    for r, (_label, values) in enumerate(table.rows):
        for c, value in enumerate(values):
            if (r, c) not in table.suppressed and value is not None and 0 < value < THRESHOLD:
                return f"visible small cell {value} at {r},{c}"
    for line in _lines(table):
        if sum(1 for cell in line if cell in table.suppressed) == 1:
            return f"a single hidden cell in line {line}"
    return ""
