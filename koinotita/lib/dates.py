"""Calendar arithmetic the apps share: whole months and age on a date; moments as people
in Greece read them (Europe/Athens, the project's TIME_ZONE), for every export."""

import datetime as dt

from django.utils import timezone


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


def local(value):
    """An aware datetime in Europe/Athens (the current time zone); anything else as it is."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def local_iso(value) -> str | None:
    """A date or a moment as ISO 8601 text, a moment in Europe/Athens (+02:00/+03:00) and
    never in UTC; None stays None."""
    if value is None:
        return None
    return local(value).isoformat()
