"""Dates with a precision (day, month, year), as Wikidata keeps them.

A partial date is stored as the first day of its period plus a precision:
``2011-07`` is ``date(2011, 7, 1)`` with precision ``month``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from factdb.errors import InvalidInput

__all__ = ["PartialDate", "parse_partial_date", "require_partial_date", "format_partial_date", "parse_time_of_day",
           "check_year", "MIN_YEAR", "MAX_YEAR"]

# Years factdb stores: four digits (what the ISO text and the exports assume), and room for the
# end of a period and a time zone (9999-12-31T23:59-05:00 is in year 10000 in UTC).
MIN_YEAR, MAX_YEAR = 1000, 9998

_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class PartialDate(NamedTuple):
    value: dt.date
    precision: str  # day | month | year

    def iso(self) -> str:
        return format_partial_date(self.value, self.precision) or ""


def parse_partial_date(text: object, field: str = "date") -> PartialDate | None:
    """Parse ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (or a ``date``; YAML gives those).

    >>> parse_partial_date("2011-07")
    PartialDate(value=datetime.date(2011, 7, 1), precision='month')

    ``None`` or an empty string means unknown and returns ``None``.
    """
    if text is None or text == "":
        return None
    if isinstance(text, dt.datetime):
        return PartialDate(check_year(text.date(), field), "day")
    if isinstance(text, dt.date):
        return PartialDate(check_year(text, field), "day")
    if isinstance(text, int) and not isinstance(text, bool):
        text = str(text)
    if not isinstance(text, str):
        raise InvalidInput(f"{field}: expected a date as YYYY-MM-DD, YYYY-MM or YYYY, got {type(text).__name__}")
    match = _PATTERN.match(text.strip())
    if not match:
        raise InvalidInput(f'{field}: "{_short(text)}" is not a date; use YYYY-MM-DD, YYYY-MM or YYYY')
    year, month, day = match.groups()
    if not MIN_YEAR <= int(year) <= MAX_YEAR:
        raise InvalidInput(f'{field}: "{text.strip()}" is outside the years {MIN_YEAR} to {MAX_YEAR} factdb keeps')
    try:
        if day is not None:
            return PartialDate(dt.date(int(year), int(month), int(day)), "day")
        if month is not None:
            return PartialDate(dt.date(int(year), int(month), 1), "month")
        return PartialDate(dt.date(int(year), 1, 1), "year")
    except ValueError as exc:
        raise InvalidInput(f'{field}: "{text}" is not a valid date ({exc})') from None


def require_partial_date(text: object, field: str) -> PartialDate:
    """:func:`parse_partial_date` where a date must be given (a filter): empty is refused."""
    parsed = parse_partial_date(text, field)
    if parsed is None:
        raise InvalidInput(f"{field}: give a date as YYYY-MM-DD, YYYY-MM or YYYY")
    return parsed


def check_year(value: dt.date, field: str = "date") -> dt.date:
    """``value``, refused when its year is outside :data:`MIN_YEAR`..:data:`MAX_YEAR`."""
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise InvalidInput(f'{field}: "{value.isoformat()}" is outside the years {MIN_YEAR} to {MAX_YEAR} factdb keeps')
    return value


def format_partial_date(value: dt.date | None, precision: str | None) -> str | None:
    """The ISO text of a partial date, as short as its precision: ``2011``, ``2011-07``, ``2011-07-11``."""
    if value is None:
        return None
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def period_end(value: dt.date, precision: str) -> dt.date:
    """The last day a partial date may stand for (used to compare with a publication date)."""
    if precision == "year":
        return dt.date(value.year, 12, 31)
    if precision == "month":
        nxt = dt.date(value.year + (value.month == 12), value.month % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    return value


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


_TIME_OF_DAY = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])(?::([0-5][0-9]))?$")


def parse_time_of_day(text: object, field: str = "time") -> str | None:
    """A time of day as a page prints it, 24-hour ``HH:MM`` or ``HH:MM:SS``, normalized to two
    digits an hour (``"9:05"`` -> ``"09:05"``); empty text is None.

    >>> parse_time_of_day("11:06")
    '11:06'
    """
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    if not isinstance(text, str):
        # YAML 1.1 reads an unquoted 11:06 as the number 666 (base 60)
        raise InvalidInput(f"{field}: {text!r} is not a time of day; write it as text, e.g. '11:06'")
    found = _TIME_OF_DAY.match(text.strip())
    if found is None:
        raise InvalidInput(f'{field}: "{_short(text)}" is not a time of day (HH:MM or HH:MM:SS, 24-hour)')
    hour, minute, second = found.groups()
    return f"{int(hour):02d}:{minute}" + (f":{second}" if second else "")
