"""Search timing: build N stories of realistic text in a temporary SQLite database, then time common queries.

    .venv/bin/python bench/search_bench.py [--stories 5000] [--queries 50] [--database-url URL]

Prints the build and index times and, for one-word and three-word queries, p50/p95 of what the search page
does (count the matches, fetch the first page with snippets) and of a whole GET /search through Django.
With --database-url (e.g. a scratch PostgreSQL database) that database is used instead; it is migrated and filled.
"""

import argparse
import itertools
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# Words a news corpus is made of: function words are the most frequent, then a few hundred news words (the common
# queries, each in roughly 10-45% of stories), then a long tail of invented words.
FUNCTION_WORDS = """
the of and to a in is that for on was with he it as at by from his be have are has but not they this an were which
or had been their will who its after would more one also there said first we about two up new than all other into
out when can over three last she her some what if no so only most such these may before could them between since
while under during against through because where both those any many then each few even still very much just how
""".split()
NEWS_WORDS = """
government minister president election parliament police court security military forces army attack killed
people country city capital officials official statement spokesman report reports according agency news said
says told week year month day today yesterday morning night january february march april may june july august
september october november december economy economic market markets prices oil gas energy bank banks budget
inflation trade deal talks agreement ceasefire peace war conflict border refugees aid humanitarian health
hospital doctors patients vaccine virus pandemic climate weather flood floods storm drought fire earthquake
water food farmers harvest school schools students teachers university protest protesters strike workers
union unions company companies billion million percent growth rate rates tax taxes law laws vote voters
campaign party parties opposition coalition leader leaders prime foreign ministry affairs international
united nations council european union africa asia middle east europe america region regional local national
sanctions nuclear program missile missiles drone drones troops withdrawal combat operations commander general
investigation arrested charged trial judge sentence prison journalists media press freedom rights human women
children families victims survivors rescue emergency crisis risk warning warned analysts experts data study
research science technology internet digital online social platform court supreme constitution reform
""".split()


def configure(database_url):
    """Django set up on a fresh database: a temporary SQLite file unless a URL is given."""
    workdir = Path(tempfile.mkdtemp(prefix="dateline-search-bench-"))
    os.environ["DATELINE_VAR"] = str(workdir)
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dateline.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    return workdir


class Corpus:
    """Words as news has them: a Zipf background (function words first, then a long tail of invented words), and
    per story a topic of TOPIC_SIZE news words that make up a fifth of its text. Words come in bursts (a story about
    the police says "police" several times; most stories never do), so a common news word is in 5-10% of stories,
    as in real news archives. (Spreading news words evenly over every story instead puts each in 15-50%.)"""

    TOPIC_SIZE, TOPIC_SHARE = 25, 0.2

    def __init__(self, rng, size=20_000):
        tail = {self.invent(rng) for _ in range(size)}
        self.words = FUNCTION_WORDS + sorted(tail - set(NEWS_WORDS) - set(FUNCTION_WORDS))
        weights = [1 / (rank + 10) ** 1.05 for rank in range(len(self.words))]
        self.cumulative = list(itertools.accumulate(weights))
        self.rng = rng
        self.topic = NEWS_WORDS

    def new_story(self):
        self.topic = self.rng.sample(NEWS_WORDS, self.TOPIC_SIZE)

    @staticmethod
    def invent(rng):
        syllables = ["ka", "ri", "mo", "ta", "len", "sor", "vi", "dan", "el", "un", "bar", "tis", "qa", "zu", "ne"]
        return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))

    def sentence(self, length):
        words = self.rng.choices(self.words, cum_weights=self.cumulative, k=length)
        for i in range(length):
            if self.rng.random() < self.TOPIC_SHARE:
                words[i] = self.rng.choice(self.topic)
        return " ".join(words).capitalize() + "."

    def paragraph(self):
        return " ".join(self.sentence(self.rng.randint(8, 25)) for _ in range(self.rng.randint(2, 5)))


def build(count, rng):
    """`count` published stories over ten years, with sections, tags and authors, stored with bulk_create."""
    from django.utils import timezone

    from dateline.accounts.models import Author
    from dateline.articles.models import NewsNumber, Section, Story, Tag

    corpus = Corpus(rng)
    sections = Section.objects.bulk_create(Section(name=f"Section {n}", slug=f"section-{n}") for n in range(30))
    tags = Tag.objects.bulk_create(Tag(name=f"{w} {n}", slug=f"tag-{n}") for n, w in enumerate(NEWS_WORDS * 8))
    authors = Author.objects.bulk_create(
        Author(name=f"{corpus.invent(rng).title()} {corpus.invent(rng).title()}", slug=f"a-{n}") for n in range(300)
    )
    now = timezone.now()
    for start in range(0, count, 2000):
        stories = [story(corpus, rng, start + n + 1, sections, now) for n in range(min(2000, count - start))]
        Story.objects.bulk_create(stories)
        stored = list(Story.objects.filter(news_id__gt=start, news_id__lte=start + len(stories)))
        Story.tags.through.objects.bulk_create(
            Story.tags.through(story=s, tag=t) for s in stored for t in rng.sample(tags, 2)
        )
        bylines = [Story.authors.through(story=s, author=rng.choice(authors)) for s in stored]
        Story.authors.through.objects.bulk_create(bylines)
    NewsNumber.reserve(count)
    return corpus


def story(corpus, rng, number, sections, now):
    """One published story on a topic of its own, some time in the last ten years."""
    from dateline.articles.models import Story

    corpus.new_story()
    return Story(
        news_id=number,
        headline=corpus.sentence(rng.randint(6, 12))[:-1],
        slug=f"story-{number}",
        summary=corpus.sentence(rng.randint(15, 30)),
        body="".join(f"<p>{corpus.paragraph()}</p>" for _ in range(rng.randint(4, 12))),
        language="en",
        section=rng.choice(sections),
        status=Story.Status.PUBLISHED,
        published_at=now - timedelta(minutes=rng.randint(1, 10 * 365 * 24 * 60)),
        version=1,
    )


def timed(function, repeat):
    times = []
    for argument in repeat:
        started = time.perf_counter()
        function(argument)
        times.append((time.perf_counter() - started) * 1000)
    return times


def run_query(text):
    from dateline.search import search

    results = search(text)
    results.count()
    results[:20]


def get_page(client):
    def get(text):
        response = client.get("/search", {"q": text})
        assert response.status_code == 200

    return get


def figures(label, times):
    times = sorted(times)
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    print(f"  {label:<34} p50 {statistics.median(times):7.2f} ms   p95 {p95:7.2f} ms   max {times[-1]:7.2f} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=5000)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--database-url", default="")
    arguments = parser.parse_args()
    rng = random.Random(20261126)
    workdir = configure(arguments.database_url)
    from django.db import connection
    from django.test import Client

    from dateline.search.indexing import rebuild

    started = time.perf_counter()
    build(arguments.stories, rng)
    built = time.perf_counter() - started
    started = time.perf_counter()
    indexed = rebuild()
    index_time = time.perf_counter() - started
    print(f"Search benchmark on {connection.vendor} ({workdir}):")
    print(f"  built {arguments.stories} stories in {built:.1f} s; indexed {indexed} in {index_time:.1f} s")

    one_word = [rng.choice(NEWS_WORDS) for _ in range(arguments.queries)]
    three_words = [" ".join(rng.sample(NEWS_WORDS[:100], 3)) for _ in range(arguments.queries)]
    run_query("warm up")
    client = Client()
    figures("one word: count + first page", timed(run_query, one_word))
    figures("three words: count + first page", timed(run_query, three_words))
    figures("one word: GET /search", timed(get_page(client), one_word))
    figures("three words: GET /search", timed(get_page(client), three_words))


if __name__ == "__main__":
    main()
