"""Import timing: `dateline import` of N plain-text story files, then of a `dateline export` of that site, bare and
with links.

    .venv/bin/python bench/import_bench.py [--files 20000] [--profile import.prof] [--keep]

Builds a scratch site (a temporary DATELINE_VAR, migrated), writes N files in the seed format with varied
headlines, bodies and dates, and times the real `dateline import DIR` as a subprocess. It then checks that every
story is there with its first revision and that search finds one of them, exports the site with `dateline export`,
and times importing that file into a second fresh site (checked the same way). Then it gives every story of the first
site a section, three tags and one or two bylines (of 30 sections, 2,000 tags and 300 authors, as bench/benchdata.py
does), exports it again and times that import into a third site. The last line of the output is one JSON object
with the rates, for `make bench`. --profile writes the first import's cProfile statistics to a file.
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DATELINE = [sys.executable, "-m", "dateline"]
FIRST_NEWS_ID = 400_000
START = datetime(2019, 1, 1, tzinfo=UTC)

# Pieces of wire copy; stories are made by combining them, with invented names and places so each story also has
# words that few others share (as real names do).
SUBJECTS = """government|ministry of health|central bank|opposition coalition|army|parliament|electoral commission
|teachers' union|oil ministry|supreme court|foreign ministry|UN envoy|port authority|farmers' association
|national football team|police|aid agencies|prime minister|city council|energy regulator""".replace("\n", "").split("|")
VERBS = """announces|rejects|delays|approves|warns of|calls for|suspends|backs|investigates|denies|signs|plans
|postpones|welcomes|condemns|expands|cuts|launches""".replace("\n", "").split("|")
OBJECTS = """new budget|fuel price rise|ceasefire talks|vaccine campaign|early elections|border reopening
|grain exports|power cuts|water rationing|prisoner exchange|teacher pay deal|flood relief|metro extension
|press law|tax reform|drought measures|peace plan|wage increase|bank merger|curfew""".replace("\n", "").split("|")
SENTENCES = [
    "{name}, a spokesperson for the {subject}, told reporters in {place} on {day} that the decision was final.",
    "The {subject} said the {object} would take effect within {n} days, according to a statement.",
    "Officials in {place} said about {n} people had been affected so far, and more were expected.",
    "\u201cWe have done everything we can,\u201d {name} said, adding that talks would continue next week.",
    "Critics said the {object} came too late and would cost more than {n} million dollars.",
    "Residents of {place} described long queues and rising prices in the days before the announcement.",
    "The move follows weeks of protests in {place}, where {n} people were arrested last month.",
    "Analysts said the {subject} was under pressure to act before the end of the year.",
    "{name} did not say when the {object} would be reviewed, but said the {subject} was open to changes.",
    "International partners have pledged support, though details of the {object} remain unclear.",
    "The last time the {subject} faced a similar choice, in {year}, it backed down after {n} days.",
    "Markets in {place} fell slightly on the news before recovering by the close of trading.",
]
SYLLABLES = "ba ka da ma na ra sa ta za ha li mi ni ri si ti ko mo no ro su tu qa far bel dor han mir zan sul".split()
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip


def invented(rng, parts):
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def story_file(rng, news_id, published):
    """One story in the seed format: header, headline (repeated, as the news page does), paragraphs, page chrome."""
    place, name = invented(rng, 3), f"{invented(rng, 2)} {invented(rng, 3)}"
    subject = rng.choice(SUBJECTS)
    headline = f"{place}: {subject} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    headline = headline[0].upper() + headline[1:]

    def sentence():
        return rng.choice(SENTENCES).format(
            name=name,
            subject=subject,
            object=rng.choice(OBJECTS),
            place=place,
            day=rng.choice(WEEKDAYS),
            n=rng.randint(2, 900),
            year=rng.randint(1990, 2018),
        )

    paragraphs = [" ".join(sentence() for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(4, 12))]
    dateline = f"{published:%H%M} GMT {MONTHS[published.month - 1]} {published.day}, {published.year}"
    return (
        f"News ID: {news_id}\nPublished: {dateline}\n\n{headline}\n\n{headline}\n\n"
        + "\n\n".join(paragraphs)
        + "\n\n\n\nSecurity Key:\nCaptcha refresh\nPage Generated in 0/3907 sec\n"
    ), place


def write_files(directory, count, seed=20211124):
    """`count` story files under `directory` (a folder per thousand); the place name of each story, by News ID."""
    rng = random.Random(seed)
    places = {}
    for number in range(count):
        news_id = FIRST_NEWS_ID + number
        published = START + timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60))
        text, places[news_id] = story_file(rng, news_id, published)
        folder = directory / f"{number // 1000:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{news_id}.txt").write_text(text, encoding="utf-8")
    return places


def environment(var):
    """A scratch site: its own DATELINE_VAR and SQLite database there, whatever this shell has set."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    return {**env, "DATELINE_VAR": str(var)}


def dateline(*args, var, profile=None):
    """Run a `dateline` command on the site at `var`; its stdout, and the seconds it took."""
    command = [sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "dateline"] if profile else DATELINE
    started = time.perf_counter()
    result = subprocess.run([*command, *args], env=environment(var), capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"dateline {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout, seconds


CHECK = """
import json
from dateline.articles.models import Story
from dateline.newsroom.models import Revision
from dateline.search import search
found = [story.news_id for story in search({query!r})[:50]]
print(json.dumps({{
    "stories": Story.objects.count(),
    "revisions": Revision.objects.count(),
    "without_revision": Story.objects.filter(revisions__isnull=True).count(),
    "found": {news_id} in found,
}}))
"""


LINK = """
import random
from django.db import transaction
from dateline.accounts.models import Author
from dateline.articles.models import Section, Story, Tag
rng = random.Random(5)
with transaction.atomic():
    sections = [Section.objects.create(name=f"Section {n}", slug=f"section-{n}") for n in range(30)]
    tags = Tag.objects.bulk_create([Tag(name=f"Tag {n}", slug=f"tag-{n}") for n in range(2000)])
    authors = Author.objects.bulk_create([Author(name=f"Author {n}", slug=f"author-{n}") for n in range(300)])
    ids = list(Story.objects.values_list("pk", flat=True))
    for section in sections:
        Story.objects.filter(pk__in=ids[sections.index(section) :: len(sections)]).update(section=section)
    Story.tags.through.objects.bulk_create(
        [Story.tags.through(story_id=pk, tag=tag) for pk in ids for tag in rng.sample(tags, 3)]
    )
    Story.authors.through.objects.bulk_create(
        [Story.authors.through(story_id=pk, author=a) for pk in ids for a in rng.sample(authors, rng.randint(1, 2))]
    )
"""


def check(var, count, places):
    """Every story is there with exactly one revision, and search finds a story by its place name."""
    news_id = FIRST_NEWS_ID + count // 2
    code = CHECK.format(query=places[news_id], news_id=news_id)
    facts = json.loads(dateline("shell", "-c", code, var=var)[0].strip().splitlines()[-1])
    problems = []
    if facts["stories"] != count:
        problems.append(f"{facts['stories']} stories, expected {count}")
    if facts["revisions"] != count or facts["without_revision"]:
        problems.append(f"{facts['revisions']} revisions, {facts['without_revision']} stories without one")
    if not facts["found"]:
        problems.append(f"search for {places[news_id]!r} does not find story {news_id}")
    return facts, problems


def fresh_site(root, name):
    var = root / name
    var.mkdir()
    dateline("migrate", "--noinput", "--verbosity", "0", var=var)
    return var


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20_000, help="how many story files to import (20000)")
    parser.add_argument("--profile", type=Path, help="write cProfile statistics of the file import here")
    parser.add_argument("--keep", action="store_true", help="keep the scratch sites (their folder is printed)")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="dateline-import-bench-"))
    source = fresh_site(root, "source")
    places = write_files(root / "files", args.files)
    print(f"Wrote {args.files} story files under {root / 'files'}.")

    out, import_seconds = dateline("import", str(root / "files"), var=source, profile=args.profile)
    print(f"dateline import DIR: {out.strip()} {import_seconds:.2f} s, {args.files / import_seconds:.0f} stories/s")
    facts, problems = check(source, args.files, places)
    print(f"  checked: {facts}")

    export = root / "site.jsonl"
    _, export_seconds = dateline("export", str(export), var=source)
    print(f"dateline export: {export.stat().st_size / 1e6:.1f} MB in {export_seconds:.2f} s")

    target = fresh_site(root, "target")
    out, transfer_seconds = dateline("import", str(export), var=target)
    print(
        f"dateline import EXPORT: {out.strip()} {transfer_seconds:.2f} s, {args.files / transfer_seconds:.0f} stories/s"
    )
    facts, more_problems = check(target, args.files, places)
    print(f"  checked: {facts}")

    dateline("shell", "-c", LINK, var=source)
    linked = root / "linked.jsonl"
    dateline("export", str(linked), var=source)
    target = fresh_site(root, "linked")
    out, linked_seconds = dateline("import", str(linked), var=target)
    print(
        f"dateline import EXPORT with links: {out.strip()} {linked_seconds:.2f} s, "
        f"{args.files / linked_seconds:.0f} stories/s (2,330 section, tag and author lines included)"
    )
    facts, linked_problems = check(target, args.files, places)
    print(f"  checked: {facts}")
    problems += linked_problems

    if args.keep:
        print(f"Scratch sites kept in {root}.")
    else:
        shutil.rmtree(root)
    for problem in problems + more_problems:
        print(f"PROBLEM: {problem}")
    print(
        json.dumps(
            {
                "import_files": args.files,
                "import_seconds": round(import_seconds, 3),
                "import_stories_per_s": round(args.files / import_seconds, 1),
                "export_import_stories": args.files,
                "export_import_seconds": round(transfer_seconds, 3),
                "export_import_stories_per_s": round(args.files / transfer_seconds, 1),
                "linked_export_import_seconds": round(linked_seconds, 3),
                "linked_export_import_stories_per_s": round(args.files / linked_seconds, 1),
            }
        )
    )
    return 1 if problems or more_problems else 0


if __name__ == "__main__":
    sys.exit(main())
