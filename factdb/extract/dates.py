"""When a statement was made, from the date words printed with its attribution.

Relative words ("on Monday", "yesterday", "last week", "last month", "earlier this year")
are resolved against the source's publication date, with the precision they allow, and a
note that says the date was inferred and from what: ``inferred from 'on Monday' and the
publication date 2011-07-12``. Without a publication date (or with one too coarse for the
words) nothing relative is inferred. Dates printed in full ("on July 11, 2011", "in 2008",
"in March 2008") need no publication date.

Conventions, as news writing uses them: a weekday is the latest such day on or before the
publication day ("said on Sunday" in a Sunday paper is that day); "last Monday" is strictly
before; "last week" is the calendar week (Monday to Sunday) before the publication's week,
kept at month precision when it lies within one month; a month printed without a year is
the latest such month not after the publication month; a day printed without a year is in
the publication's year unless that would put it more than a week after publication.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

__all__ = ["SaidOn", "find_date", "resolve_date"]

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
            "seven": 7, "eight": 8, "nine": 9, "ten": 10, "several": None, "few": None}

_MONTH = (r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|"
          r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)")
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_WEEKDAY = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_PART = r"(?: (?:morning|afternoon|evening|night))?"

# (kind, pattern); months and weekdays are case-sensitive (capitalised), the rest is not
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((kind, re.compile(p)) for kind, p in (
    ("day-month-year", rf"\b(?:on )?(?:{_WEEKDAY},? )?{_MONTH} {_DAY},? {_YEAR}\b"),
    ("day-month-year", rf"\b(?:on )?(?:{_WEEKDAY},? )?{_DAY} {_MONTH},? {_YEAR}\b"),
    ("month-year", rf"\b(?:in |during |last |early |late |mid-)?{_MONTH},? {_YEAR}\b"),
    ("day-month", rf"\b(?:on )?(?:{_WEEKDAY},? )?{_MONTH} {_DAY}\b(?!,? (?:19|20)\d\d)"
                  r"(?! (?:percent|per cent|people|troops|soldiers))"),
    ("day-month", rf"\b(?:on )?(?:{_WEEKDAY},? )?{_DAY} {_MONTH}\b(?!,? (?:19|20)\d\d)"),
    ("year", rf"\b(?:in|during|early|late|mid-)[ -]?{_YEAR}\b(?!-)"),
    ("weekday", r"\b(?:(?:(?P<rel>last|this|past|next) )"
                r"|(?:(?:on |earlier |later |late |early |earlier on |later on )))?"
                rf"{_WEEKDAY}{_PART}\b"),
    ("yesterday", r"(?i)\b(?:yesterday|last night)\b"),
    ("today", r"(?i)\b(?:today|tonight|this (?:morning|afternoon|evening))\b"),
    ("last-week", r"(?i)\blast week\b|\bthe (?:previous|past|prior) week\b"),
    ("this-week", r"(?i)\b(?:earlier |later )?this week\b"),
    ("last-month", r"(?i)\blast month\b|\bthe (?:previous|past|prior) month\b"),
    ("this-month", r"(?i)\b(?:earlier |later )?this month\b"),
    ("last-year", r"(?i)\blast year\b|\bthe (?:previous|past|prior) year\b"),
    ("this-year", r"(?i)\b(?:earlier |later )?this year\b"),
    ("ago", r"(?i)\b(?P<count>a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d+) "
            r"(?P<unit>day|week|month|year)s? ago\b"),
    # a month alone only after a preposition: "May" is also a name and a verb
    ("month", rf"\b(?:in|last|early|late|mid-|during|earlier in|later in) ?{_MONTH}\b"),
))


@dataclass(frozen=True, slots=True)
class SaidOn:
    """A statement date as proposed: the first day of its period, its precision, the words
    it came from (as printed, with their offsets) and a note saying how."""

    value: dt.date
    precision: str  # day | month | year
    words: str
    start: int
    end: int
    note: str
    inferred: bool

    def iso(self) -> str:
        if self.precision == "year":
            return f"{self.value.year:04d}"
        if self.precision == "month":
            return f"{self.value.year:04d}-{self.value.month:02d}"
        return self.value.isoformat()


def _month_number(word: str) -> int:
    return _MONTHS[word.lower().rstrip(".")]


def _week_monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _period(first: dt.date, last: dt.date) -> tuple[dt.date, str]:
    """The narrowest precision holding a whole span of days."""
    if (first.year, first.month) == (last.year, last.month):
        return first.replace(day=1), "month"
    return dt.date(first.year, 1, 1), "year"


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + (day.month - 1) + months
    return dt.date(index // 12, index % 12 + 1, 1)


def resolve_date(kind: str, match: re.Match[str], published_on: dt.date | None,
                 published_precision: str | None = "day") -> tuple[dt.date, str, str | None] | None:
    """(date, precision, period note) for one matched date expression, or None when it
    cannot be resolved (relative words without a fine enough publication date)."""
    pub_precision = published_precision or "day"
    have_day = published_on is not None and pub_precision == "day"
    have_month = published_on is not None and pub_precision in ("day", "month")
    have_year = published_on is not None
    groups = match.groupdict()
    try:
        if kind == "day-month-year":
            return dt.date(int(groups["year"]), _month_number(groups["month"]), int(groups["day"])), "day", None
        if kind == "month-year":
            return dt.date(int(groups["year"]), _month_number(groups["month"]), 1), "month", None
        if kind == "year":
            return dt.date(int(groups["year"]), 1, 1), "year", None
        if kind == "day-month" and have_year:
            assert published_on is not None
            day = dt.date(published_on.year, _month_number(groups["month"]), int(groups["day"]))
            if have_day and day > published_on + dt.timedelta(days=7):
                day = day.replace(year=day.year - 1)
            return day, "day", None
    except ValueError:
        return None  # "February 30"
    if kind == "month" and have_year:
        assert published_on is not None
        month = _month_number(groups["month"])
        year = published_on.year
        last = match.group().lower().startswith("last ")
        if have_month and (month > published_on.month or (last and month >= published_on.month)):
            year -= 1
        return dt.date(year, month, 1), "month", None
    if published_on is None:
        return None
    pub = published_on
    if kind == "weekday" and have_day:
        target = _WEEKDAYS.index(groups["weekday"].lower())
        rel = (groups.get("rel") or "").lower()
        back = (pub.weekday() - target) % 7
        if rel == "next":
            forward = (target - pub.weekday()) % 7 or 7
            return pub + dt.timedelta(days=forward), "day", None
        if rel in ("last", "past") and back == 0:
            back = 7
        return pub - dt.timedelta(days=back), "day", None
    if kind == "yesterday" and have_day:
        return pub - dt.timedelta(days=1), "day", None
    if kind == "today" and have_day:
        return pub, "day", None
    if kind == "last-week" and have_day:
        monday = _week_monday(pub) - dt.timedelta(days=7)
        sunday = monday + dt.timedelta(days=6)
        value, precision = _period(monday, sunday)
        return value, precision, f"the week of {monday.isoformat()} to {sunday.isoformat()}"
    if kind == "this-week" and have_day:
        value, precision = _period(_week_monday(pub), pub)
        return value, precision, f"the week of {_week_monday(pub).isoformat()} to {pub.isoformat()}"
    if kind == "last-month" and have_month:
        return _add_months(pub, -1), "month", None
    if kind == "this-month" and have_month:
        return pub.replace(day=1), "month", None
    if kind == "last-year":
        return dt.date(pub.year - 1, 1, 1), "year", None
    if kind == "this-year":
        return dt.date(pub.year, 1, 1), "year", None
    if kind == "ago":
        word = groups["count"].lower()
        count = int(word) if word.isdigit() else _NUMBERS.get(word)
        unit = groups["unit"].lower()
        if not count:
            return None
        if unit == "day" and have_day:
            return pub - dt.timedelta(days=count), "day", None
        if unit == "week" and have_day:
            day = pub - dt.timedelta(days=7 * count)
            return day.replace(day=1), "month", None
        if unit == "month" and have_month:
            return _add_months(pub, -count), "month", None
        if unit == "year":
            return dt.date(pub.year - count, 1, 1), "year", None
    return None


def _matches(text: str, start: int, end: int) -> list[tuple[int, int, str, re.Match[str]]]:
    """Date expressions in ``text[start:end]``, longest first where they overlap."""
    found: list[tuple[int, int, str, re.Match[str]]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text, start, end):
            s, e = match.span()
            if any(s < fe and fs < e for fs, fe, _, _ in found):
                continue
            found.append((s, e, kind, match))
    return sorted(found, key=lambda item: item[0])


_REACH = 60  # characters: a date further from the speaker and the cue is another clause's
_REACH_BEFORE = 16
_OPENING = re.compile(r"^[\s“\"‘(]*(?:(?:on|earlier|later|late|early|also)\s+)*$", re.I)


def find_date(text: str, regions: list[tuple[int, int]], near: int, *,
              published_on: dt.date | None = None, published_precision: str | None = None,
              anchors: list[tuple[int, int]] | None = None) -> SaidOn | None:
    """The statement date printed in ``regions`` of ``text`` (the attribution's own words,
    not its content), nearest to offset ``near`` (the cue), resolved as far as the words and
    the publication date allow. With ``anchors`` (the cue's and the speaker's spans) only
    dates within a few words of one of them count ("said in Baghdad on Monday", "Pompeo on
    Friday warned"), or opening the sentence ("On Monday, officials said"), not a date inside
    an opening phrase ("Triggered by attacks last month, officials said")."""
    candidates: list[tuple[int, SaidOn]] = []
    pub_note = ""
    if published_on is not None:
        pub_note = _format_pub(published_on, published_precision)
    for r0, r1 in regions:
        for s, e, kind, match in _matches(text, r0, r1):
            words = match.group()
            resolved = resolve_date(kind, match, published_on, published_precision)
            if resolved is None:
                continue
            value, precision, period = resolved
            absolute = kind in ("day-month-year", "month-year", "year")
            if absolute:
                note = f"as printed: '{words}'"
            else:
                extra = f" ({period})" if period else ""
                note = f"inferred from '{words}'{extra} and the publication date {pub_note}"
            said = SaidOn(value, precision, words, s, e, note, inferred=not absolute)
            distance = s - near if s >= near else near - e
            if anchors:
                first = min(a0 for a0, _ in anchors)
                gap = min((s - a1 if s >= a1 else a0 - e if e <= a0 else 0) for a0, a1 in anchors)
                # before the speaker only as the sentence's opening ("On Monday, Trump said");
                # after it, within a few words
                if e <= first:
                    if not _OPENING.match(text[r0:s]) or gap > _REACH_BEFORE:
                        continue
                elif gap > _REACH:
                    continue
            candidates.append((abs(distance), said))
    if not candidates:
        return None
    candidates.sort(key=lambda item: item[0])
    return candidates[0][1]


def _format_pub(published_on: dt.date, precision: str | None) -> str:
    if precision == "year":
        return f"{published_on.year:04d}"
    if precision == "month":
        return f"{published_on.year:04d}-{published_on.month:02d}"
    return published_on.isoformat()
