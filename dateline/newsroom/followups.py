"""The follow-up finder: the dated promises and deadlines in a story, resolved against its publication time.

Dates are read by `dateparser` (English, Arabic, Persian); the few phrases it cannot read have rules of their own
here ("within 15 days", "by the end of the year", «الأسبوع المقبل», Levantine month names, «تا پایان سال»). What
makes a phrase a promise and not a report is in `cues`; docs/newsroom.md explains it.
"""

import calendar
import html
import re
from dataclasses import dataclass
from datetime import date, timedelta

import dateparser
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from . import cues
from .models import FollowUp

DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
PERSIAN_LETTERS = str.maketrans("يك", "یک")  # Arabic letters in Persian text (one for one, so offsets hold)
SENTENCE_END = re.compile(r"(?<=[.!?؟۔…])[\"”»’')]*\s+|\n+")
BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|blockquote|div|tr)>|<br\s*/?>", re.IGNORECASE)
TAG = re.compile(r"<[^>]+>")
PHRASE_MAX = 200
NEXT = {"الأسبوع": "weeks", "الشهر": "months", "العام": "years", "السنة": "years"}


@dataclass(frozen=True)
class Finding:
    sentence: str
    phrase: str
    due: date


def find_follow_ups(text_or_html, published_at, language):
    """Each dated promise in the text, once per phrase and due day, in reading order; [] for other languages."""
    language = (language or "en").split("-")[0].lower()
    if language not in cues.CUES:
        return []
    base = naive(published_at)
    findings = {}
    for sentence in sentences(plain_text(text_or_html)):
        for finding in promises_in(sentence, base, language):
            findings.setdefault((finding.phrase.lower(), finding.due), finding)
    return list(findings.values())


def naive(moment):
    """The publication time as the newsroom's clock shows it, without a zone (how dateparser takes its base)."""
    return timezone.make_naive(moment) if timezone.is_aware(moment) else moment


def plain_text(text_or_html):
    """The words of a body: tags dropped, a block's end a line's end, entities decoded."""
    return html.unescape(TAG.sub("", BLOCK_END.sub("\n", text_or_html)))


def sentences(text):
    return [part.strip() for part in SENTENCE_END.split(text) if part and part.strip()]


def normalized(text, language):
    """Latin digits (and Persian letters) in place of the others, one character for one, so offsets still match."""
    text = text.translate(DIGITS)
    return text.translate(PERSIAN_LETTERS) if language == "fa" else text


def promises_in(sentence, base, language):
    """The promises in one sentence: each cue's match that is no report and resolves to a day after `base`."""
    text, taken = normalized(sentence, language), []
    if not cues.ANY_CUE[language].search(text):
        return
    for cue in cues.CUES[language]:
        for match in cue.pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue  # an earlier, more telling cue already read these words
            taken.append(match.span())
            due = resolve(match, cue, base, language) if is_promise(text, match, cue, language) else None
            if due is not None and due > base.date():
                yield Finding(sentence, sentence[match.start() : match.end()][:PHRASE_MAX], due)


def is_promise(text, match, cue, language):
    """A future marker in the sentence (a weak cue: in its clause), and nothing next to it that makes it a report."""
    before, after = text[: match.start()], text[match.end() :]
    if cues.PAST_BEFORE[language].search(before) or cues.PAST_AFTER[language].search(after):
        return False
    if cue.kind == "relative":
        return True
    if cue.strong:
        return cues.has_future_marker(text, language, deadline=True)
    reported = cues.REPORTED[language]
    if reported.search(before) or (language == "fa" and reported.search(after)):
        return False
    return cues.has_future_marker(clause_of(text, match, language), language)


def clause_of(text, match, language):
    """The words around `match` up to the nearest clause breaks on either side."""
    breaks = cues.CLAUSE[language]
    starts = [m.end() for m in breaks.finditer(text, 0, match.start())]
    end = breaks.search(text, match.end())
    return text[starts[-1] if starts else 0 : end.start() if end else len(text)]


def resolve(match, cue, base, language):
    """The day a matched phrase names, counted from `base`; None when it names none."""
    groups = match.groupdict()
    if cue.kind == "span":
        return dateparser_day(match.group(), base, language) or span_end(groups, base, language)
    if cue.kind == "end":
        return end_of(groups["period"], base, language)
    if cue.kind == "relative":
        return dateparser_day(groups["when"], base, language) or next_period(groups.get("next"), base)
    return dateparser_day(readable(groups["when"], language), base, language, cue.last_day)


def dateparser_day(phrase, base, language, last_day=False):
    """What dateparser reads in `phrase`: the future reading of a date without a year, a month's first or last day."""
    settings = {
        "RELATIVE_BASE": base,
        "PREFER_DATES_FROM": "future",
        "PREFER_DAY_OF_MONTH": "last" if last_day else "first",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    if language in ("ar", "fa"):
        settings["DATE_ORDER"] = "DMY"  # else it reads the day of «10 دسامبر» as a year (2110)
    parsed = dateparser.parse(phrase, languages=[language], settings=settings)
    return parsed.date() if parsed else None


def readable(when, language):
    """A date phrase as dateparser can read it: without «يوم»/«روز» ("the day of"), with Egyptian month names."""
    if language == "ar":
        when = re.sub(r"^(?:يوم|شهر)\s+|\s+(?:المقبل|القادم)$", "", when)
        for levantine, egyptian in cues.AR_MONTH_NAMES.items():
            when = when.replace(levantine, egyptian)
    elif language == "fa":
        when = re.sub(r"^(?:روز|ماه)\s+|\s+(?:آینده|هفته\s+آینده)$|\s+سال(?=\s+\d)", "", when)
    return when


def span_end(groups, base, language):
    """Own rule: "within N days" (weeks, months, years, hours) and the Arabic dual, N units after publication."""
    if groups.get("dual"):
        count, unit = 2, cues.AR_DUALS[groups["dual"]]
    else:
        number = groups["num"].lower()
        count = int(number) if number.isdigit() else cues.NUMBER_WORDS[language][number]
        unit = unit_of(groups["unit"].lower(), language)
    if unit == "hours":
        return (base + timedelta(hours=count)).date()
    if unit == "fortnights":
        count, unit = count * 2, "weeks"
    return (base + relativedelta(**{unit: count})).date()


def unit_of(word, language):
    if language == "en":
        return cues.UNIT_WORDS["en"][word.rstrip("s")]
    return cues.UNIT_WORDS[language][word]


def end_of(period, base, language):
    """Own rule: the last day of the year, month or week (Sunday) of publication; in Persian, «سال» alone is the
    Iranian year, which ends the day before Nowruz (taken as March 20)."""
    day = base.date()
    if period in ("year", "العام", "السنة", "سال میلادی", "سال جاری میلادی"):
        return date(day.year, 12, 31)
    if period in ("سال", "امسال"):
        return iranian_year_end(day)
    if period in ("month", "الشهر", "ماه"):
        return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
    return day + timedelta(days=6 - day.weekday())


def iranian_year_end(day):
    end = date(day.year, 3, 20)
    return end if day < end else date(day.year + 1, 3, 20)


def next_period(word, base):
    """Own rule for what dateparser does not read («الأسبوع المقبل»): a week, month or year after publication."""
    if word not in NEXT:
        return None
    return (base + relativedelta(**{NEXT[word]: 1})).date()


def findings_for(story):
    """The promises in a story's body, counted from its publication (or from now, for one without a time)."""
    return find_follow_ups(story.body, story.published_at or timezone.now(), story.language)


def suggest_follow_ups(story):
    """Keep each promise in a public story as a suggested follow-up, once: one already there (dismissed, accepted)
    is left as it is, however often the story is published again. Returns how many were found."""
    found = findings_for(story)
    rows = [FollowUp(story=story, sentence=f.sentence, phrase=f.phrase, due=f.due) for f in found]
    FollowUp.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
