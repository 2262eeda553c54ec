"""The words that mark a dated promise or deadline, per language (en, ar, fa), for the follow-up finder.

Each cue is a pattern and the kind of date it names:
- "span": a number of days, weeks, months or years from publication ("within 15 days", «خلال 15 يوما», «ظرف ۱۵ روز»);
- "end": the end of the year, month or week of publication ("by the end of the year", «بحلول نهاية العام»);
- "date": a date or weekday for dateparser to read (the `when` group), a deadline ("by", «بحلول», «تا») when
  `strong`, a mere mention ("on Monday", «يوم الاثنين») otherwise;
- "relative": next week, month or year, tomorrow: future by their very words.

A strong cue needs a future marker (will, «سوف», «خواهد») anywhere in its sentence; a weak one needs it in its own
clause, and no past reporting verb next to it ("said on Monday"); "relative" needs none.
"""

import re
from dataclasses import dataclass

NUMBER_WORDS = {
    "en": {
        "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
        "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "ninety": 90,
    },
    "ar": {
        "ثلاثة": 3, "ثلاث": 3, "أربعة": 4, "أربع": 4, "خمسة": 5, "خمس": 5, "ستة": 6, "ست": 6, "سبعة": 7, "سبع": 7,
        "ثمانية": 8, "ثماني": 8, "تسعة": 9, "تسع": 9, "عشرة": 10, "عشر": 10,
    },
    "fa": {
        "یک": 1, "دو": 2, "سه": 3, "چهار": 4, "پنج": 5, "شش": 6, "هفت": 7, "هشت": 8, "نه": 9, "ده": 10,
        "پانزده": 15, "بیست": 20, "سی": 30,
    },
}  # fmt: skip
UNIT_WORDS = {
    "en": {"hour": "hours", "day": "days", "week": "weeks", "fortnight": "fortnights", "month": "months",
           "year": "years"},
    "ar": {"ساعة": "hours", "ساعات": "hours", "يوم": "days", "يوما": "days", "يوماً": "days", "أيام": "days",
           "أسبوع": "weeks", "أسابيع": "weeks", "شهر": "months", "أشهر": "months", "شهور": "months",
           "عام": "years", "أعوام": "years", "سنة": "years", "سنوات": "years"},
    "fa": {"ساعت": "hours", "روز": "days", "هفته": "weeks", "ماه": "months", "سال": "years"},
}  # fmt: skip
# Arabic says "two days" in one word, the dual.
AR_DUALS = {"ساعتين": "hours", "يومين": "days", "أسبوعين": "weeks", "شهرين": "months", "عامين": "years",
            "سنتين": "years"}  # fmt: skip
# The Levantine and Iraqi month names, which dateparser does not read: as the Egyptian names it does.
AR_MONTH_NAMES = {
    "كانون الثاني": "يناير", "شباط": "فبراير", "آذار": "مارس", "نيسان": "أبريل", "أيار": "مايو",
    "حزيران": "يونيو", "تموز": "يوليو", "آب": "أغسطس", "أيلول": "سبتمبر", "تشرين الأول": "أكتوبر",
    "تشرين الثاني": "نوفمبر", "كانون الأول": "ديسمبر",
}  # fmt: skip


def alternatives(words):
    """A regex alternation of `words`, longest first (so «دوشنبه» is tried before «شنبه»)."""
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


def numbers(language):
    return rf"\d+|{alternatives(NUMBER_WORDS[language])}"


EN_MONTHS = (
    r"January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\."
)
EN_WEEKDAYS = r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
EN_DATE = (
    rf"(?:{EN_WEEKDAYS})(?:,?\s+(?:{EN_MONTHS})\s+\d{{1,2}})?"
    rf"|(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{EN_MONTHS})(?:,?\s+\d{{4}})?"
    rf"|(?:{EN_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|(?:{EN_MONTHS})(?:\s+\d{{4}})?"
    r"|\d{4}-\d{2}-\d{2}"
)
AR_MONTHS = alternatives(
    ["يناير", "فبراير", "مارس", "أبريل", "إبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر",
     "ديسمبر", *AR_MONTH_NAMES]
)  # fmt: skip
AR_WEEKDAYS = alternatives(["الأحد", "الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت"])
AR_DATE = (
    rf"(?:يوم\s+)?(?:{AR_WEEKDAYS})(?:\s+(?:المقبل|القادم))?"
    rf"|\d{{1,2}}\s+(?:من\s+)?(?:{AR_MONTHS})(?:\s+\d{{4}})?"
    rf"|(?:شهر\s+)?(?:{AR_MONTHS})(?:\s+\d{{4}})?"
)
FA_MONTHS = alternatives(
    ["ژانویه", "فوریه", "مارس", "آوریل", "مه", "ژوئن", "ژوئیه", "جولای", "اوت", "آگوست", "سپتامبر", "اکتبر",
     "نوامبر", "دسامبر"]
)  # fmt: skip
FA_WEEKDAYS = alternatives(["شنبه", "یکشنبه", "یک‌شنبه", "دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه", "پنج‌شنبه", "جمعه"])
FA_DATE = (
    rf"(?:روز\s+)?(?:{FA_WEEKDAYS})(?:\s+(?:آینده|هفته\s+آینده))?"
    rf"|\d{{1,2}}\s+(?:{FA_MONTHS})(?:\s+(?:سال\s+)?\d{{4}})?"
    rf"|(?:ماه\s+)?(?:{FA_MONTHS})(?:\s+\d{{4}})?"
)
B, E = r"(?<!\w)", r"(?!\w)"  # word edges that hold for Arabic script too


@dataclass(frozen=True)
class Cue:
    kind: str  # span, end, date, relative
    pattern: re.Pattern
    strong: bool = True
    last_day: bool = False  # a month alone names its last day ("by March") rather than its first ("in March")


def cue(kind, pattern, **options):
    return Cue(kind, re.compile(pattern, re.IGNORECASE), **options)


EN_UNITS = r"hours?|days?|weeks?|fortnights?|months?|years?"
AR_UNITS = alternatives(UNIT_WORDS["ar"])
FA_UNITS = alternatives(UNIT_WORDS["fa"])
CUES = {
    "en": [
        cue(
            "span",
            rf"\b(?:within|in|over)\s+(?:the\s+next\s+)?(?P<num>{numbers('en')})\s+(?P<unit>{EN_UNITS})\b"
            r"(?!\s+(?:of|after|from|since|ago|before)\b)",
        ),  # fmt: skip
        cue("end", r"\b(?:by|before|until|till|at)\s+the\s+end\s+of\s+(?:the|this)\s+(?P<period>year|month|week)\b"),
        cue("end", r"\bby\s+(?P<period>year|month)[-\s]end\b"),
        cue(
            "date",
            rf"\b(?:by|before|until|till)\s+the\s+end\s+of\s+(?P<when>(?:{EN_MONTHS})(?:\s+\d{{4}})?|\d{{4}})\b",
            last_day=True,
        ),  # fmt: skip
        cue(
            "date",
            rf"\b(?:by|before|until|till|no\s+later\s+than|deadline(?:\s+[\w-]+){{0,4}}?\s+(?:is|of|(?:falls|expires)\s+on)|"
            rf"due\s+(?:on|by)|"
            rf"(?:scheduled|set|planned|slated)\s+for)\s+(?:on\s+)?(?P<when>{EN_DATE})\b",
            last_day=True,
        ),  # fmt: skip
        cue("relative", rf"\b(?P<when>(?:next|this\s+coming)\s+(?:week|month|year|{EN_WEEKDAYS})|tomorrow)\b"),
        cue("date", rf"\bon\s+(?P<when>{EN_DATE})\b", strong=False),
        cue("date", rf"\bin\s+(?P<when>(?:{EN_MONTHS})(?:\s+\d{{4}})?|\d{{4}})\b", strong=False),
    ],
    "ar": [
        cue(
            "span",
            rf"{B}[وف]?(?:خلال|في\s+غضون|غضون|بعد)\s+(?:(?P<num>{numbers('ar')})\s+(?P<unit>{AR_UNITS})"
            rf"|(?P<dual>{alternatives(AR_DUALS)})){E}(?!\s+(?:من|على|الماضية|الماضي){E})",
        ),  # fmt: skip
        cue(
            "end",
            rf"{B}[وف]?(?:بحلول|قبل|حتى|مع|ب)\s*نهاية\s+(?:هذا\s+|هذه\s+)?(?P<period>العام|السنة|الشهر|الأسبوع)"
            rf"(?:\s+(?:الجاري|الحالي|الحالية|الجارية))?{E}",
        ),  # fmt: skip
        cue(
            "date", rf"{B}[وف]?(?:بحلول|حتى|قبل|موعده|في\s+موعد\s+أقصاه|أقصاه)\s+(?P<when>{AR_DATE}){E}", last_day=True
        ),
        cue(
            "relative",
            rf"{B}(?P<when>(?P<next>الأسبوع|الشهر|العام|السنة)\s+(?:المقبل|القادم|المقبلة|القادمة)"
            rf"|غدا|غدًا|غداً){E}",
        ),  # fmt: skip
        cue("date", rf"{B}(?:في\s+)?(?P<when>{AR_DATE}){E}", strong=False),
    ],
    "fa": [
        cue(
            "span",
            rf"{B}(?:ظرف|طی|در\s+طول|در\s+عرض|تا)\s+(?P<num>{numbers('fa')})\s+(?P<unit>{FA_UNITS})"
            rf"(?:\s+(?:آینده|آتی|دیگر))?{E}",
        ),  # fmt: skip
        cue("span", rf"{B}(?P<num>{numbers('fa')})\s+(?P<unit>{FA_UNITS})\s+(?:دیگر|آینده){E}"),
        cue(
            "end",
            rf"{B}تا\s+(?:پایان|آخر|انتهای)\s+(?P<period>سال\s+میلادی|سال\s+جاری\s+میلادی|سال|امسال|ماه|هفته)"
            rf"(?:\s+(?:جاری|آینده))?{E}",
        ),  # fmt: skip
        cue("date", rf"{B}(?:حداکثر\s+)?(?:تا|قبل\s+از|پیش\s+از|مهلت)\s+(?P<when>{FA_DATE}){E}", last_day=True),
        cue("relative", rf"{B}(?P<when>(?P<next>هفته|ماه|سال)\s+(?:آینده|آتی|بعد)|فردا){E}"),
        cue("date", rf"{B}(?:در\s+)?(?P<when>{FA_DATE}){E}", strong=False),
    ],
}


def any_of(language_cues):
    """One pattern that matches wherever one of the cues does (their groups unnamed): a sentence it finds nothing in
    holds no promise, so the cues themselves are tried only on the few sentences it does."""
    alternatives = (re.sub(r"\(\?P<\w+>", "(?:", cue.pattern.pattern) for cue in language_cues)
    return re.compile("|".join(f"(?:{alternative})" for alternative in alternatives), re.IGNORECASE)


ANY_CUE = {language: any_of(language_cues) for language, language_cues in CUES.items()}

# A cue needs a future verb in its sentence (a weak cue: in its clause) to be a promise and not a report.
FUTURE = {
    "en": re.compile(
        r"\b(?:will|shall|won't|would|going\s+to|(?:is|are)\s+(?:to|due|set\s+to|expected)|expected|scheduled|"
        r"planned|plans?\s+to|expects?|promised?|pledged?|vowed?|must|aims?\s+to|intends?\s+to|should|"
        r"upcoming)\b|'ll\b",
        re.IGNORECASE,
    ),
    "ar": re.compile(
        r"سوف|من\s+المقرر|من\s+المتوقع|يتوقع|يُتوقع|تتوقع|يعتزم|تعتزم|تعهد|تعهدت|وعد|وعدت|يجب|ينبغي|المقبل|القادم"
    ),
    "fa": re.compile(
        r"خواه(?:د|ند|یم|م|ی|ید)(?!\w)|قرار\s+است|قرار\s+شده|باید|وعده|متعهد|"
        r"(?<!\w)(?:ن)?می[\u200c ]\w+(?:د|ند|یم|م|ی|ید)(?!\w)"
    ),
}
# A deadline named as such stands for a future verb too, but only for a strong cue: "the deadline is December 1",
# not "the deadline passed on Monday".
DEADLINE = {
    "en": re.compile(r"\b(?:deadline|no\s+later\s+than)\b", re.IGNORECASE),
    "ar": re.compile(r"مهلة|المهلة|الموعد\s+النهائي|أقصاه|موعده"),
    "fa": re.compile(r"مهلت|ضرب[\u200c ]?الاجل"),
}
# Arabic makes the future with a prefix, «سـ» (سيغادر, ستنتهي): words that only look like it.
AR_FUTURE_PREFIX = re.compile(r"(?<!\w)[وف]?س[يتنأ]\w{2,}")
AR_NOT_FUTURE = re.compile(
    r"(?<!\w)[وف]?(?:سيارة|سيارات|سياس\w*|سيطر\w*|سيد|سيدة|سيرة|سيناء|سيول|سيف|سنة|سنوات|سنوي\w*|سنتين|"
    r"ستة|ستين|ستون|ستاد|سأل\w*|سنغافورة)(?!\w)"
)
# A weak cue next to one of these names when something was said, not when it will happen.
REPORTED = {
    "en": re.compile(
        r"\b(?:said|told|announced|declared|stated|added|confirmed|reported|noted|warned|insisted|wrote|promised|"
        r"pledged|vowed|met|signed|took\s+place|was|were|had|passed|ended|began|started|expired|closed|opened)\s*$",
        re.IGNORECASE,
    ),
    "ar": re.compile(r"(?:قال|قالت|أعلن|أعلنت|صرح|صرحت|أكد|أكدت|أضاف|أضافت|ذكر|ذكرت|أوضح|أوضحت|وقع|وقعت)\s*$"),
    "fa": re.compile(
        r"^\s*(?:گفت|گفتند|اعلام\s+کرد|اعلام\s+کردند|افزود|تاکید\s+کرد|خبر\s+داد|اظهار\s+داشت|امضا\s+کرد)"
    ),
}
# Words right after a date that put it in the past: "Monday a week ago", «الأحد الماضي», «جمعه گذشته».
PAST_AFTER = {
    "en": re.compile(r"^\s*(?:ago|last\s+year)\b", re.IGNORECASE),
    "ar": re.compile(r"^\s*(?:الماضي|الماضية|المنصرم|المنصرمة)(?!\w)"),
    "fa": re.compile(r"^\s*(?:گذشته|پیش|قبل)(?!\w)"),
}
# Words just before a date that put it in the past: "back in July", «منذ», «از».
PAST_BEFORE = {
    "en": re.compile(r"\b(?:back|earlier|since|as\s+of|as\s+early\s+as|already|previously)\s*$", re.IGNORECASE),
    "ar": re.compile(r"(?:منذ|مطلع|أواخر)\s*$"),
    "fa": re.compile(r"(?:از|اوایل|اواخر)\s*$"),
}
# Where a clause ends, for the weak cues: commas, semicolons, and "that" before reported words.
CLAUSE = {
    "en": re.compile(r"[,;:—–]|\bthat\b", re.IGNORECASE),
    "ar": re.compile(r"[،؛:,;]|(?<!\w)(?:أن|بأن|إن|وأن)(?!\w)"),
    "fa": re.compile(r"[،؛:,;]|(?<!\w)که(?!\w)"),
}


def has_future_marker(text, language, deadline=False):
    """Whether `text` speaks of what is to come: a future verb, a plan, or (for a strong cue) a deadline."""
    if FUTURE[language].search(text) or (deadline and DEADLINE[language].search(text)):
        return True
    if language == "ar":
        return any(not AR_NOT_FUTURE.match(match.group()) for match in AR_FUTURE_PREFIX.finditer(text))
    return False
