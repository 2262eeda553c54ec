"""The follow-up finder: its precision and recall on labelled sentences (en, ar, fa), its own rules, the reference
story's two dates, the receivers that run it when a story goes public, and GET /api/v1/stories/{news_id}/follow-ups."""

from datetime import UTC, date, datetime

import pytest

from dateline.api.models import ApiToken
from dateline.articles import workflow
from dateline.articles.models import Story
from dateline.demo.stories import SEED, SEED_NEWS_ID
from dateline.newsroom.followups import find_follow_ups
from dateline.newsroom.models import FollowUp
from dateline.transfer.formats.plaintext import import_file
from dateline.transfer.report import Report

from .factories import make_member, make_story

PUBLISHED = datetime(2021, 11, 24, 3, 50, tzinfo=UTC)  # the reference story's time: a Wednesday
THRESHOLD = 0.9  # precision and recall must both reach it
D = date

# (language, sentence, the due days it promises). Non-promises, past dates in reported speech among them, promise none.
LABELLED = [
    ("en", "The ministry will publish the audit within two weeks.", {D(2021, 12, 8)}),
    ("en", "Parliament is expected to vote on the budget by December 15.", {D(2021, 12, 15)}),
    ("en", "The new bridge will open to traffic on Monday, officials said.", {D(2021, 11, 29)}),
    ("en", "Talks between the two delegations will resume next week.", {D(2021, 12, 1)}),
    ("en", "The company said it would announce its results by the end of the month.", {D(2021, 11, 30)}),
    ("en", "The deadline for public comments is December 1.", {D(2021, 12, 1)}),
    ("en", "The deadline is December 1 for public comments.", {D(2021, 12, 1)}),
    ("en", "The hearing is scheduled for January 10.", {D(2022, 1, 10)}),
    ("en", "Rescue teams expect to reach the village within 48 hours.", {D(2021, 11, 26)}),
    ("en", "The central bank will decide on interest rates tomorrow.", {D(2021, 11, 25)}),
    ("en", "Elections will be held in March 2022, the commission announced.", {D(2022, 3, 1)}),
    ("en", "The government has promised to repay the loan within three months.", {D(2022, 2, 24)}),
    ("en", "Workers vowed to stay on strike until the end of the week.", {D(2021, 11, 28)}),
    ("en", "The minister said on Monday that talks will resume next week.", {D(2021, 12, 1)}),
    ("en", "The demand is in line with a law adopted by the parliament in January 2020.", set()),
    ("en", "The minister said on Monday that the plan was working.", set()),
    ("en", "Prices rose sharply last week.", set()),
    ("en", "The troops left the city within 15 days of the agreement.", set()),
    ("en", "The president visited Baghdad on December 3, 2019.", set()),
    ("en", "The ceasefire was signed in July.", set()),
    ("en", "Back in July, the two leaders met in Washington.", set()),
    ("en", "Two years ago, the bridge collapsed during a storm.", set()),
    ("en", "The committee met on Wednesday and will report in due course.", set()),
    ("ar", "قال المتحدث إن القوات الأجنبية ستغادر العراق خلال 15 يوما.", {D(2021, 12, 9)}),
    ("ar", "من المقرر أن تنتهي المهمة القتالية بحلول نهاية العام.", {D(2021, 12, 31)}),
    ("ar", "ستعقد الجولة المقبلة من المحادثات الأسبوع المقبل.", {D(2021, 12, 1)}),
    ("ar", "أعلنت الوزارة أنها ستنشر التقرير خلال أسبوعين.", {D(2021, 12, 8)}),
    ("ar", "يتوقع أن يصوت البرلمان على الميزانية بحلول ١٥ ديسمبر.", {D(2021, 12, 15)}),
    ("ar", "سيفتتح الجسر الجديد يوم الاثنين المقبل.", {D(2021, 11, 29)}),
    ("ar", "ستجرى الانتخابات في ١٠ كانون الأول.", {D(2021, 12, 10)}),
    ("ar", "تعهدت الحكومة بسداد الديون خلال ثلاثة أشهر.", {D(2022, 2, 24)}),
    ("ar", "سيصدر البنك المركزي قراره غداً.", {D(2021, 11, 25)}),
    ("ar", "وتنتهي المهلة الممنوحة للشركات بنهاية الشهر الجاري.", {D(2021, 11, 30)}),
    ("ar", "قال الوزير يوم الاثنين إن المحادثات ستستأنف الأسبوع المقبل.", {D(2021, 12, 1)}),
    ("ar", "صدر القانون في يناير 2020 بعد اغتيال القائدين.", set()),
    ("ar", "قال الوزير يوم الاثنين إن الخطة تسير وفق الجدول.", set()),
    ("ar", "ارتفعت الأسعار بشكل حاد الأسبوع الماضي.", set()),
    ("ar", "غادرت القوات المدينة خلال 15 يوما من توقيع الاتفاق.", set()),
    ("ar", "وقع الرئيسان الاتفاق في يوليو الماضي.", set()),
    ("ar", "زار الرئيس بغداد في 3 ديسمبر 2019.", set()),
    ("ar", "ستة أشخاص أصيبوا في الانفجار يوم الأحد.", set()),
    ("fa", "نیروهای خارجی ظرف ۱۵ روز عراق را ترک خواهند کرد.", {D(2021, 12, 9)}),
    ("fa", "مأموریت آمریکا تا پایان سال میلادی به نقش مشورتی تغییر خواهد کرد.", {D(2021, 12, 31)}),
    ("fa", "دور بعدی مذاکرات هفته آینده برگزار خواهد شد.", {D(2021, 12, 1)}),
    ("fa", "وزارت بهداشت قرار است گزارش خود را تا ۱۵ دسامبر منتشر کند.", {D(2021, 12, 15)}),
    ("fa", "پارلمان باید ظرف دو هفته درباره بودجه رای دهد.", {D(2021, 12, 8)}),
    ("fa", "نتایج انتخابات فردا اعلام خواهد شد.", {D(2021, 11, 25)}),
    ("fa", "پل جدید روز دوشنبه افتتاح خواهد شد.", {D(2021, 11, 29)}),
    ("fa", "دولت وعده داده است که وام را ظرف سه ماه بازپرداخت کند.", {D(2022, 2, 24)}),
    ("fa", "بانک مرکزی تا پایان ماه جاری نرخ بهره را اعلام خواهد کرد.", {D(2021, 11, 30)}),
    ("fa", "انتخابات در ۱۰ ژانویه برگزار خواهد شد.", {D(2022, 1, 10)}),
    ("fa", "این طرح تا پایان سال اجرا خواهد شد.", {D(2022, 3, 20)}),
    ("fa", "وزیر روز دوشنبه گفت که مذاکرات هفته آینده ادامه خواهد یافت.", {D(2021, 12, 1)}),
    ("fa", "این قانون در ژانویه ۲۰۲۰ در پارلمان تصویب شد.", set()),
    ("fa", "وزیر روز دوشنبه گفت که برنامه طبق جدول پیش می‌رود.", set()),
    ("fa", "قیمت‌ها هفته گذشته به شدت افزایش یافت.", set()),
    ("fa", "نیروها ظرف ۱۵ روز پس از توافق شهر را ترک کردند.", set()),
    ("fa", "رئیس‌جمهور در ۳ دسامبر ۲۰۱۹ از بغداد دیدار کرد.", set()),
    ("fa", "دو روز پیش، پل در طوفان فروریخت.", set()),
]
# Written after the rules were, as a check on them: before the three fixes they prompted (a deadline noun is no
# future verb for a weak cue; «الماضي»/«گذشته» after a date; «سينجز» is a future verb) they scored precision 0.77
# and recall 0.91 (docs/newsroom.md).
LATER = [
    ("en", "The European Union will decide on sanctions on 15 December.", {D(2021, 12, 15)}),
    ("en", "The results are due on Friday.", {D(2021, 11, 26)}),
    ("en", "The company plans to cut 500 jobs over the next six months.", {D(2022, 5, 24)}),
    ("en", "The talks ended on Tuesday without agreement.", set()),
    ("en", "Since January, prices have doubled.", set()),
    ("en", "The strike, which began in October, will continue until Friday.", {D(2021, 11, 26)}),
    ("en", "The UN envoy is to arrive in Baghdad on Sunday.", {D(2021, 11, 28)}),
    ("en", "The deadline passed on Monday with no deal.", set()),
    ("ar", "من المتوقع أن يعلن البنك المركزي قراره يوم الخميس المقبل.", {D(2021, 11, 25)}),
    ("ar", "وقالت الوزارة إن المشروع سينجز في غضون ستة أشهر.", {D(2022, 5, 24)}),
    ("ar", "انتهت المهلة يوم الأحد الماضي.", set()),
    ("ar", "سيزور الرئيس باريس الشهر المقبل.", {D(2021, 12, 24)}),
    ("ar", "أعلنت الحكومة في مارس 2021 عن خطة جديدة.", set()),
    ("fa", "نشست بعدی شورای امنیت روز پنجشنبه برگزار می‌شود.", {D(2021, 11, 25)}),
    ("fa", "دولت تا ۲۰ دسامبر مهلت دارد که پاسخ دهد.", {D(2021, 12, 20)}),
    ("fa", "سال گذشته این طرح متوقف شد.", set()),
    ("fa", "این پروژه طی سه سال آینده تکمیل خواهد شد.", {D(2024, 11, 24)}),
    ("fa", "مهلت ثبت‌نام روز جمعه گذشته به پایان رسید.", set()),
]
ALL = LABELLED + LATER


def due_days(text, language, published=PUBLISHED):
    return {finding.due for finding in find_follow_ups(text, published, language)}


def scores(labelled):
    """Precision and recall of the finder over `labelled`, counting due days found against due days promised."""
    found = promised = right = 0
    for language, sentence, expected in labelled:
        days = due_days(sentence, language)
        found, promised, right = found + len(days), promised + len(expected), right + len(days & expected)
    return right / found, right / promised


def test_the_labelled_set_has_forty_sentences_or_more_in_each_of_three_languages():
    """At least 40 sentences, with promises and non-promises in English, Arabic and Persian."""
    assert len(ALL) >= 40
    for language in ("en", "ar", "fa"):
        kinds = {bool(expected) for lang, _, expected in ALL if lang == language}
        assert kinds == {True, False}


@pytest.mark.parametrize("language", ["all", "en", "ar", "fa", "later"])
def test_finder_precision_and_recall_reach_the_threshold(language):
    """Precision and recall are 0.9 or more: over all the labelled sentences, in each language, on the later set."""
    subset = LATER if language == "later" else [item for item in ALL if language in ("all", item[0])]
    precision, recall = scores(subset)
    print(f"follow-up finder, {language} ({len(subset)} sentences): precision {precision:.2f}, recall {recall:.2f}")
    assert precision >= THRESHOLD and recall >= THRESHOLD


@pytest.mark.parametrize(("language", "sentence", "expected"), ALL)
def test_each_labelled_sentence(language, sentence, expected):
    """Each labelled sentence gives its promised due days (the thresholds above allow misses; none is known)."""
    assert due_days(sentence, language) == expected


def test_reference_story_promises_fall_due_on_december_9_and_31():
    """The reference story (0350 GMT November 24, 2021): "within 15 days" is December 9, "by the end of the year"
    December 31, and the law of "January 2020" is no promise."""
    findings = find_follow_ups(SEED.read_text(), PUBLISHED, "en")
    assert [(f.phrase, f.due) for f in findings] == [
        ("within 15 days", D(2021, 12, 9)),
        ("by the end of the year", D(2021, 12, 31)),
    ]
    assert findings[1].sentence.startswith("Back in July, US President Joe Biden")


# Own rules: what dateparser does not read


@pytest.mark.parametrize(
    ("language", "sentence", "due"),
    [
        ("en", "They will leave within 15 days.", D(2021, 12, 9)),
        ("en", "They will leave within a fortnight.", D(2021, 12, 8)),
        ("ar", "سيغادرون خلال ١٥ يوماً.", D(2021, 12, 9)),
        ("ar", "سيغادرون خلال يومين.", D(2021, 11, 26)),
        ("fa", "ظرف ۱۵ روز خواهند رفت.", D(2021, 12, 9)),
    ],
)
def test_within_a_number_of_days_counts_from_publication(language, sentence, due):
    """Own rule: "within N days" (weeks, months; an Arabic dual; any digits) is N days after publication."""
    assert due_days(sentence, language) == {due}


@pytest.mark.parametrize(
    ("language", "sentence", "due"),
    [
        ("en", "The mission will end by the end of the year.", D(2021, 12, 31)),
        ("en", "The mission will end by year-end.", D(2021, 12, 31)),
        ("en", "The report will be out by the end of the month.", D(2021, 11, 30)),
        ("en", "The report will be out by the end of the week.", D(2021, 11, 28)),
        ("ar", "ستنتهي المهمة قبل نهاية العام.", D(2021, 12, 31)),
        ("fa", "مأموریت تا پایان سال میلادی پایان خواهد یافت.", D(2021, 12, 31)),
    ],
)
def test_the_end_of_a_period_is_its_last_day(language, sentence, due):
    """Own rule: "by the end of the year (month, week)" is its last day, the week's a Sunday."""
    assert due_days(sentence, language) == {due}


def test_the_end_of_the_persian_year_is_nowruz_eve():
    """Own rule: «تا پایان سال» in Persian is the Iranian year, which ends on March 20."""
    assert due_days("این طرح تا پایان سال اجرا خواهد شد.", "fa") == {D(2022, 3, 20)}
    spring = datetime(2022, 3, 25, tzinfo=UTC)
    assert due_days("این طرح تا پایان سال اجرا خواهد شد.", "fa", spring) == {D(2023, 3, 20)}


def test_next_week_in_arabic_is_a_week_after_publication():
    """Own rule: «الأسبوع المقبل» (which dateparser does not read, unlike «القادم») is seven days on."""
    assert due_days("ستعقد المحادثات الأسبوع المقبل.", "ar") == {D(2021, 12, 1)}
    assert due_days("ستعقد المحادثات العام المقبل.", "ar") == {D(2022, 11, 24)}


def test_levantine_month_names_are_read():
    """Own rule: «كانون الأول» is read as «ديسمبر»."""
    assert due_days("ستجرى الانتخابات بحلول 20 كانون الأول.", "ar") == {D(2021, 12, 20)}


def test_a_promise_already_due_at_publication_is_not_a_follow_up():
    """A date that is not after the day of publication is left out, even with a future verb."""
    assert due_days("Ministers will meet on November 24, 2021.", "en") == set()


def test_html_is_read_as_its_text_and_a_repeated_promise_counts_once():
    """Tags are dropped, paragraphs end sentences, and the same phrase on the same day is one finding."""
    body = "<p>They will leave <em>within 15 days</em>.</p><p>Again: they will leave within 15 days</p>"
    findings = find_follow_ups(body, PUBLISHED, "en")
    assert [(f.sentence, f.phrase) for f in findings] == [("They will leave within 15 days.", "within 15 days")]


def test_other_languages_find_nothing():
    """A language without cues (French) gives no finding rather than a wrong one."""
    assert find_follow_ups("Ils partiront dans 15 jours.", PUBLISHED, "fr") == []


# Receivers: the finder runs when a story goes public


@pytest.fixture
def editor():
    return make_member("Editor")


def promising_draft(**fields):
    body = "<p>The ministry will publish the audit within two weeks.</p><p>It was founded in January 2020.</p>"
    return make_story("Audit due", published=False, body=body, **fields)


@pytest.mark.django_db
def test_publishing_a_story_suggests_its_follow_ups(editor):
    """workflow.publish leaves one suggested follow-up per promise, due two weeks after publication."""
    story = promising_draft()
    workflow.publish(story, editor)
    follow_up = FollowUp.objects.get(story=story)
    assert (follow_up.phrase, follow_up.state) == ("within two weeks", FollowUp.State.SUGGESTED)
    assert follow_up.due == (story.published_at.date() + (D(2021, 12, 8) - D(2021, 11, 24)))


@pytest.mark.django_db
def test_publishing_again_neither_duplicates_nor_resurrects_a_dismissed_follow_up(editor):
    """Unpublished and published again, a story keeps its one follow-up, still dismissed."""
    story = promising_draft()
    workflow.publish(story, editor)
    FollowUp.objects.filter(story=story).update(state=FollowUp.State.DISMISSED)
    workflow.unpublish(story, editor)
    workflow.publish(story, editor)
    assert list(FollowUp.objects.filter(story=story).values_list("state", flat=True)) == ["dismissed"]


@pytest.mark.django_db
def test_a_draft_saved_or_scheduled_has_no_follow_ups_yet(editor):
    """Saving a draft finds nothing; nor does scheduling it, until its time comes."""
    story = promising_draft()
    workflow.save_story(story, editor)
    workflow.publish(story, editor, at=datetime(2099, 1, 1, tzinfo=UTC))
    assert not FollowUp.objects.filter(story=story).exists()


@pytest.mark.django_db
def test_a_scheduled_story_going_live_gets_its_follow_ups(editor):
    """The go-live job's announcement (story_went_live) runs the finder."""
    from dateline.articles.signals import story_went_live

    story = make_story(body="<p>The bridge will open within two weeks.</p>")
    story_went_live.send(Story, story=story)
    assert FollowUp.objects.filter(story=story, phrase="within two weeks").exists()


def imported(load):
    """Run `load` (an import) as committed, then the jobs it queued, as `dateline worker` would."""
    from django.test import TestCase

    from .factories import run_due_jobs

    with TestCase.captureOnCommitCallbacks(execute=True):
        load()
    run_due_jobs()


@pytest.mark.django_db
def test_importing_the_reference_story_suggests_its_two_follow_ups():
    """The import the demo loads the reference story with leaves December 9 and December 31 as suggestions, read
    by a job once the import is done (the import itself keeps its pace)."""
    imported(lambda: import_file(SEED, Report()))
    story = Story.objects.get(news_id=SEED_NEWS_ID)
    days = list(story.follow_ups.values_list("phrase", "due"))
    assert days == [("within 15 days", D(2021, 12, 9)), ("by the end of the year", D(2021, 12, 31))]


@pytest.mark.django_db
def test_the_demo_gives_the_reference_story_its_two_follow_ups():
    """After `dateline demo` (run twice, as `make run` may), the reference story has exactly its two suggestions."""
    from dateline.demo import stories as demo

    imported(demo.load)
    imported(demo.load)
    story = Story.objects.get(news_id=SEED_NEWS_ID)
    assert list(story.follow_ups.values_list("due", "state")) == [
        (D(2021, 12, 9), "suggested"),
        (D(2021, 12, 31), "suggested"),
    ]


@pytest.mark.django_db(transaction=True)  # the workers are forked: this process's connection is closed
def test_the_fast_import_path_leaves_promises_to_a_job(tmp_path, monkeypatch):
    """`dateline import` of many files (the fast path) queues the reading of their promises; the job leaves each
    story its follow-up."""
    from dateline.transfer import bulk

    from .factories import run_due_jobs, run_import, write

    monkeypatch.setattr(bulk, "POOL_AFTER", 2)
    monkeypatch.setattr(bulk, "WINDOW", 2)
    monkeypatch.setattr(bulk.os, "cpu_count", lambda: 3)
    for n in range(4):
        header = f"News ID: {500 + n}\nPublished: 0350 GMT November 24, 2021\n\nTroops {n}\n\n"
        write(tmp_path / f"{500 + n}.txt", header + "They will leave within 15 days.\n")
    assert run_import(tmp_path)[2] is None
    assert not FollowUp.objects.exists()  # the import did not wait for them
    run_due_jobs()
    assert list(FollowUp.objects.order_by("story__news_id").values_list("due", flat=True)) == [D(2021, 12, 9)] * 4


@pytest.mark.django_db
def test_importing_a_draft_suggests_nothing(tmp_path):
    """An imported story that is not published has no follow-ups."""
    story = make_story(published=False, body="<p>They will leave within 15 days.</p>")
    from dateline.articles.signals import story_imported

    story_imported.send(Story, story=story, created=True, tags=[], authors=[])
    assert not story.follow_ups.exists()


# GET /api/v1/stories/{news_id}/follow-ups


def bearer(user):
    _, raw = ApiToken.issue(user)
    return {"Authorization": f"Bearer {raw}"}


def url(story):
    return f"/api/v1/stories/{story.news_id}/follow-ups"


@pytest.fixture
def reference():
    imported(lambda: import_file(SEED, Report()))
    return Story.objects.get(news_id=SEED_NEWS_ID)


@pytest.mark.django_db
def test_api_lists_a_storys_follow_ups_for_staff(client, reference):
    """A staff token reads exactly {"items": [{"sentence", "phrase", "due", "state"}]}, due day first."""
    response = client.get(url(reference), headers=bearer(make_member("Reporter")))
    assert response.status_code == 200
    items = response.json()["items"]
    assert response.json().keys() == {"items"}
    assert [set(item) for item in items] == [{"sentence", "phrase", "due", "state"}] * 2
    assert [(item["phrase"], item["due"], item["state"]) for item in items] == [
        ("within 15 days", "2021-12-09", "suggested"),
        ("by the end of the year", "2021-12-31", "suggested"),
    ]
    assert items[0]["sentence"].endswith("will leave Iraq within 15 days.")


@pytest.mark.django_db
def test_api_follow_ups_need_a_token(client, reference):
    """Without a token: 401."""
    assert client.get(url(reference)).status_code == 401


@pytest.mark.django_db
def test_api_follow_ups_refuse_a_token_of_someone_off_the_desk(client, reference):
    """A non-staff user's token, or a moderator's (who writes no stories): 403."""
    reader = make_member("Editor", "not-staff", is_staff=False)
    assert client.get(url(reference), headers=bearer(reader)).status_code == 403
    assert client.get(url(reference), headers=bearer(make_member("Moderator"))).status_code == 403


@pytest.mark.django_db
def test_api_follow_ups_of_an_unknown_story_are_not_found(client):
    """A News ID no story has: 404."""
    assert client.get("/api/v1/stories/999999/follow-ups", headers=bearer(make_member("Editor"))).status_code == 404
