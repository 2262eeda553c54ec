"""The dateline's time format, `0350 GMT November 24, 2021`: written in the active language's conventions (an
edition's order, month names and digits, which its catalogue gives), read in English (the import format).

The Gregorian calendar everywhere. Persian: `۲۴ نوامبر ۲۰۲۱، ۰۳:۵۰ به وقت گرینویچ`, Persian digits; Arabic:
`24 نوفمبر 2021، 03:50 بتوقيت غرينتش`, Western digits as most Arabic news sites print them; French:
`24 novembre 2021, 03:50 GMT`.
"""

import datetime as dt
import re

from django.utils.dates import MONTHS as MONTH_NAMES
from django.utils.translation import pgettext

MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
PATTERN = re.compile(r"(?P<hh>\d\d)(?P<mm>\d\d) GMT (?P<month>[A-Za-z]+) (?P<day>\d{1,2}), (?P<year>\d{4})", re.ASCII)
EXAMPLE = "0350 GMT November 24, 2021"


def format_dateline(moment):
    """In English: 4-digit 24-hour GMT time, full month name, day without leading zero, year."""
    moment = moment.astimezone(dt.UTC)
    # Translators: a story's time in GMT: `0350 GMT November 24, 2021`. Order the parts as your readers expect;
    # {hour} and {minute} have two digits, {day} none to spare; digits are converted by the "digits" entry.
    pattern = pgettext("dateline", "{hour}{minute} GMT {month} {day}, {year}")
    text = pattern.format(
        hour=f"{moment.hour:02d}",
        minute=f"{moment.minute:02d}",
        month=MONTH_NAMES[moment.month],
        day=moment.day,
        year=f"{moment.year:04d}",
    )
    return localize_digits(text)


def localize_digits(text):
    """`text` with its digits written as the active language writes them (Persian: ۰۱۲۳۴۵۶۷۸۹)."""
    # Translators: the ten digits, zero to nine, as your edition prints them.
    digits = pgettext("digits", "0123456789")
    if digits == "0123456789" or len(digits) != 10:
        return text
    return text.translate(str.maketrans("0123456789", digits))


def decimal_writing():
    """A str.translate table: digits and decimal point as the active language writes them (Persian: ۰/۰۰۱۲)."""
    # Translators: the decimal separator, as in 0.0012 (Persian newspapers print ۰/۰۰۱۲).
    separator = pgettext("decimal separator", ".")
    digits = zip("0123456789", localize_digits("0123456789"), strict=True)
    return {ord(digit): written for digit, written in digits} | {ord("."): separator}


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
