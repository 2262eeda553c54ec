"""A news site of realistic size for benchmarks, written with bulk inserts (`make bench` builds its site with it):

    .venv/bin/python bench/benchdata.py [--stories N] [--comments N] [--tags N] [--authors N] [--seed S] [--replace]

It fills the migrated database of Dateline's settings (DATELINE_VAR, DATABASE_URL; see DEVELOPERS.md).

The text behaves like news text for search: a Zipf background of function words and invented words, and per story
a topic of news words said several times (a common news word is in 5-10% of stories). Bodies are put together from
a pool of such paragraphs, so 100,000 stories take seconds to write. Everything is drawn from one seeded random
generator: the same seed builds the same site.
"""

# ruff: noqa: E402  (run as a script, Django is set up before the models are imported)

import itertools
import os
import random
import sys
import time
from datetime import timedelta

import django

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dateline.settings")
    django.setup()

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, transaction
from django.db.models import CASCADE, SET_NULL, OuterRef, Subquery
from django.db.models.deletion import get_candidate_relations_to_delete
from django.utils import timezone
from django.utils.text import slugify

from dateline import pagecache
from dateline.accounts.models import Author
from dateline.articles.models import NewsNumber, Section, Story, StoryViews, Tag
from dateline.comments.models import Comment
from dateline.ops.sqlite import analyze
from dateline.search.indexing import rebuild

# Words a news corpus is made of: function words are the most frequent, then a few hundred news words (the common
# queries), then a long tail of invented words.
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
        """About 60 words: 6-10 of them make a story of 400-600 words."""
        return " ".join(self.sentence(self.rng.randint(12, 24)) for _ in range(self.rng.randint(3, 4)))


SECTIONS = {
    "World": ["Middle East", "Africa", "Europe", "Americas", "Asia"],
    "Politics": ["Parliament", "Elections", "Diplomacy"],
    "Business": ["Markets", "Energy", "Economy", "Technology"],
    "Sport": ["Football", "Athletics", "Tennis"],
    "Science": ["Health", "Environment", "Space"],
    "Culture": ["Books", "Film"],
    "Opinion": ["Editorials", "Columns", "Letters"],
}
FIRST_NAMES = """Amira Sara Omid Leila Karim Hassan Nadia Yusuf Mina Reza Farah Tariq Dalia Samir Laila Jamal Noor
Ali Zainab Kian Elena Marco Anna Lucas Chloe Ivan Maya Daniel Sofia Adam""".split()
LAST_NAMES = """Haddad Karimi Rahimi Nasser Saleh Farouk Tehrani Mansour Aziz Hosseini Khalil Darwish Moradi Sabri
Jaber Amini Bakr Nouri Rossi Novak Berg Costa Silva Meyer Laurent Petrov Ortiz Haas Lindqvist""".split()
COMMENTS = [
    "Thank you for reporting this.",
    "This is the first clear account of what happened that I have read.",
    "I would like to know what the government plans to do next.",
    "My family lives near there; the situation is as described.",
    "Good reporting, but the figures in the third paragraph need a source.",
    "Will there be a follow-up on this?",
]
BATCH = 2000
PARAGRAPH_POOL = 20_000


class Site:
    """Builds the site in phases, each reported to `progress(phase, done, total)`."""

    def __init__(self, stories, comments, seed=2026, progress=None, years=10, tags=2000, authors=300):
        self.rng = random.Random(seed)
        self.stories, self.comments, self.years = stories, comments, years
        self.tag_count, self.author_count = tags, authors
        self.progress = progress or (lambda phase, done, total: None)
        self.corpus = Corpus(self.rng)
        self.now = timezone.now().replace(second=0, microsecond=0)

    def build(self):
        with transaction.atomic():
            self.sections = self.make_sections()
            self.tags = self.make_tags()
            self.authors = self.make_authors()
            self.pool = self.paragraph_pool()
            first_pk = self.make_stories()
            self.make_comments(first_pk)
            self.make_reads(first_pk)

    def make_sections(self):
        sections, position = [], 0
        for top, children in SECTIONS.items():
            position += 1
            parent = Section.objects.create(name=top, slug=slugify(top), position=position)
            sections.append(parent)
            for child in children:
                sections.append(
                    Section.objects.create(name=child, slug=slugify(child), parent=parent, position=position)
                )
        return sections

    def make_tags(self):
        topical = [f"{word.title()} {self.invented()}" for word in NEWS_WORDS]
        names = self.unique(topical[: self.tag_count], self.tag_count, lambda: f"{self.invented()} {self.invented()}")
        return Tag.objects.bulk_create(Tag(name=name, slug=slugify(name)) for name in names)

    def make_authors(self):
        people = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
        chosen = self.rng.sample(people, min(self.author_count, len(people)))
        names = self.unique(chosen, self.author_count, lambda: f"{self.rng.choice(FIRST_NAMES)} {self.invented()}")
        return Author.objects.bulk_create(Author(name=name, slug=slugify(name), role="Correspondent") for name in names)

    def invented(self):
        return self.corpus.invent(self.rng).title()

    @staticmethod
    def unique(names, count, make):
        """`count` different names: those given, then made ones. Names are letters and spaces, so slugs differ too."""
        names = dict.fromkeys(names)
        while len(names) < count:
            names[make()] = None
        return list(names)

    def paragraph_pool(self):
        pool, size = [], min(PARAGRAPH_POOL, self.stories * 2 + 10)
        for n in range(size):
            if n % 3 == 0:  # three paragraphs to a topic
                self.corpus.new_story()
            pool.append(self.corpus.paragraph())
            if n % 1000 == 0 or n == size - 1:
                self.progress("text", n + 1, size)
        return pool

    def make_stories(self):
        """Stories oldest first, News IDs in publication order, with their tags and bylines; the first pk."""
        span = self.years * 365 * 24 * 60
        minutes = sorted(self.rng.sample(range(1, span), self.stories), reverse=True)
        start_number = NewsNumber.next() if self.stories else 0
        first_pk = None
        self.progress("stories", 0, self.stories)
        for start in range(0, self.stories, BATCH):
            batch = [self.story(start_number + n, minutes[n]) for n in range(start, min(start + BATCH, self.stories))]
            Story.objects.bulk_create(batch)
            stored = Story.objects.filter(news_id__gte=batch[0].news_id, news_id__lte=batch[-1].news_id)
            pks = list(stored.order_by("news_id").values_list("pk", flat=True))
            first_pk = first_pk or pks[0]
            Story.tags.through.objects.bulk_create(
                Story.tags.through(story_id=pk, tag=tag)
                for pk in pks
                for tag in self.rng.sample(self.tags, self.rng.randint(1, 5))
            )
            Story.authors.through.objects.bulk_create(
                Story.authors.through(story_id=pk, author=author)
                for pk in pks
                for author in self.rng.sample(self.authors, self.rng.choice((1, 1, 1, 2)))
            )
            self.progress("stories", start + len(batch), self.stories)
        NewsNumber.reserve(start_number + self.stories - 1)
        return first_pk

    def story(self, number, minutes_ago):
        paragraphs = self.rng.sample(self.pool, self.rng.randint(6, 10))
        words = paragraphs[0].replace(".", "").lower().split()  # a headline on the story's own topic
        headline = " ".join(self.rng.sample(words, min(len(words), self.rng.randint(6, 12)))).capitalize()
        return Story(
            news_id=number,
            headline=headline,
            slug=slugify(headline, allow_unicode=True)[:255].strip("-") or "story",  # as Story.save() makes it
            summary=paragraphs[0].split(". ")[0] + ".",
            body="".join(f"<p>{paragraph}</p>" for paragraph in paragraphs),  # already what clean_html() keeps
            section=self.rng.choice(self.sections),
            status=Story.Status.PUBLISHED,
            published_at=self.now - timedelta(minutes=minutes_ago),
            version=1,  # save() counts the first save
        )

    def make_comments(self, first_pk):
        """Approved comments on random stories, dated at their story's publication."""
        pks = list(Story.objects.filter(pk__gte=first_pk).values_list("pk", flat=True))
        first_comment = (Comment.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        self.progress("comments", 0, self.comments)
        for start in range(0, self.comments, BATCH):
            batch = []
            for _ in range(min(BATCH, self.comments - start)):
                pk = self.rng.choice(pks)
                batch.append(
                    Comment(
                        story_id=pk,
                        name=self.rng.choice(FIRST_NAMES),
                        body=self.rng.choice(COMMENTS),
                        status=Comment.Status.APPROVED,
                    )
                )
            Comment.objects.bulk_create(batch)
            self.progress("comments", start + len(batch), self.comments)
        published = Story.objects.filter(pk=OuterRef("story_id")).values("published_at")
        Comment.objects.filter(pk__gte=first_comment).update(created_at=Subquery(published))  # bulk_create said "now"

    def make_reads(self, first_pk):
        """Reads over the last two days for the newest thousand stories, so the most-read box has content."""
        recent = Story.objects.filter(pk__gte=first_pk).order_by("-published_at").values_list("pk", flat=True)[:1000]
        today = self.now.date()
        StoryViews.objects.bulk_create(
            StoryViews(story_id=pk, day=today - timedelta(days=day), count=int(self.rng.paretovariate(1.2) * 10))
            for pk in recent
            for day in (0, 1)
        )


def fast_writes():
    """SQLite, for this connection only: skip waiting for the disk while building (a crash mid-build leaves a site to
    build again anyway). A larger page cache (256 MB) measured no faster: the pages then all go to disk at commit."""
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")


def wipe(models, progress):
    """Delete every row of `models` and what cascades from them (comments, reads, revisions...) in a few SQL
    statements. Deleting through the ORM sends signals per row (search index, page cache): minutes for 100,000
    stories, and the build rebuilds the index and clears the cache anyway."""
    with transaction.atomic(), connection.cursor() as cursor:
        for done, model in enumerate(models):
            progress("delete", done, len(models))
            delete_where(cursor, model, "1 = 1")
        progress("delete", len(models), len(models))


def delete_where(cursor, model, condition):
    """Rows of `model` matching the SQL `condition`, children first, as on_delete says (CASCADE or SET_NULL; any
    other rule is left to the foreign key constraints)."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    selected = f"SELECT {quote(model._meta.pk.column)} FROM {table} WHERE {condition}"
    for relation in get_candidate_relations_to_delete(model._meta):
        child, column = relation.related_model, quote(relation.field.column)
        if relation.on_delete is CASCADE and child is not model:
            delete_where(cursor, child, f"{column} IN ({selected})")
        elif relation.on_delete is SET_NULL:
            cursor.execute(f"UPDATE {quote(child._meta.db_table)} SET {column} = NULL WHERE {column} IN ({selected})")
    cursor.execute(f"DELETE FROM {table} WHERE {condition}")


class Progress:
    """One line per phase on standard error, rewritten in place: 'stories [#####-----] 50,000/100,000 41,000/s'."""

    def __init__(self, stream, quiet):
        self.stream, self.quiet, self.phase, self.started = stream, quiet, None, time.monotonic()

    def __call__(self, phase, done, total):
        if self.quiet:
            return
        if phase != self.phase:
            self.end()
            self.phase, self.started = phase, time.monotonic()
        rate = done / max(time.monotonic() - self.started, 1e-6)
        filled = 30 * done // max(total, 1)
        bar = "#" * filled + "-" * (30 - filled)
        self.stream.write(f"\r{phase:<9} [{bar}] {done:,}/{total:,} {rate:,.0f}/s")
        self.stream.flush()

    def end(self):
        if self.phase and not self.quiet:
            self.stream.write(f" {time.monotonic() - self.started:.1f} s\n")
        self.phase = None


class Command(BaseCommand):
    """The script's options and checks, as a Django command (tests run it with call_command(Command(), ...))."""

    help = (
        "Fill the (migrated) database with a news site of realistic size for benchmarks: stories over ten years, "
        "30 sections, 2,000 tags, 300 authors, approved comments, reads, and the search index."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.prog = "bench/benchdata.py"
        return parser

    def add_arguments(self, parser):
        parser.add_argument("--stories", type=int, default=100_000, help="how many stories (default 100,000)")
        parser.add_argument("--comments", type=int, help="how many approved comments (default: twice the stories)")
        parser.add_argument("--tags", type=int, default=2000, help="how many tags (default 2,000)")
        parser.add_argument("--authors", type=int, default=300, help="how many authors (default 300)")
        parser.add_argument("--seed", type=int, default=2026, help="the same seed builds the same site")
        parser.add_argument("--replace", action="store_true", help="delete every story, tag, section and author first")

    def handle(self, *args, stories, comments, tags, authors, seed, replace, verbosity=1, **options):
        if min(stories, tags, authors) < 1:
            raise CommandError("--stories, --tags and --authors must be at least 1")
        try:
            present = Story.objects.exists()
        except DatabaseError as error:
            raise CommandError(f"the database is not ready ({error}): run `dateline migrate` first") from error
        if present and not replace:
            raise CommandError("the database already holds stories: use --replace to delete them first")
        progress = Progress(sys.stderr, quiet=verbosity == 0)
        started = time.monotonic()
        fast_writes()
        if replace:
            wipe([Story, Section, Tag, Author], progress)
        comments = stories * 2 if comments is None else comments
        Site(stories, comments, seed=seed, progress=progress, tags=tags, authors=authors).build()
        progress("search", 0, stories)
        rebuild(progress=lambda done, total: progress("search", done, total))
        progress.end()
        analyze()
        pagecache.clear()
        if verbosity:
            self.stdout.write(f"Built {stories:,} stories in {time.monotonic() - started:.1f} s.")


if __name__ == "__main__":
    Command().run_from_argv([sys.argv[0], "bench-data", *sys.argv[1:]])
