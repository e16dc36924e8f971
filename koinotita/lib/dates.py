"""Calendar arithmetic the apps share: whole months and age on a date."""

import datetime as dt


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, n: int) -> dt.date:
    """The first day of the month `n` months after (or before, if negative) `day`'s month."""
    index = day.year * 12 + day.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def age_on(born: dt.date | None, on: dt.date) -> int | None:
    """Age in whole years on `on`; None when the birth date is unknown."""
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
