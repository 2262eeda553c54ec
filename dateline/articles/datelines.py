"""The dateline's time format, `0350 GMT November 24, 2021`: written in the active language (an edition's
month names), read in English (the import format)."""

import datetime as dt
import re

from django.utils import dateformat

MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
PATTERN = re.compile(r"(?P<hh>\d\d)(?P<mm>\d\d) GMT (?P<month>[A-Za-z]+) (?P<day>\d{1,2}), (?P<year>\d{4})", re.ASCII)
EXAMPLE = "0350 GMT November 24, 2021"


def format_dateline(moment):
    """4-digit 24-hour GMT time, full month name, day without leading zero, year."""
    return dateformat.format(moment.astimezone(dt.UTC), r"Hi \G\M\T F j, Y")


def parse_dateline(text):
    """The UTC datetime a dateline names; ValueError with a reason when it names none."""
    match = PATTERN.fullmatch(text.strip())
    if not match:
        raise ValueError(f"expected a time like {EXAMPLE!r}")
    month = match["month"].capitalize()
    if month not in MONTHS:
        raise ValueError(f"{match['month']!r} is not a month name")
    return dt.datetime(
        int(match["year"]),
        MONTHS.index(month) + 1,
        int(match["day"]),
        int(match["hh"]),
        int(match["mm"]),
        tzinfo=dt.UTC,
    )
