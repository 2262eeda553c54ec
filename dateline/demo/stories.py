"""Demo content for `dateline demo`: the reference story and a generated newsroom, all marked as demo; the Persian
and Arabic editions' stories are in other_editions."""

import random
from datetime import timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from dateline.accounts.models import Author
from dateline.articles.html import paragraphs_to_html
from dateline.articles.models import Correction, FrontPage, LiveEntry, Section, Story, Tag
from dateline.transfer.formats.plaintext import import_file
from dateline.transfer.report import Report

from . import other_editions

SEED = Path(__file__).parent / "fixtures" / "seed-article.txt"
SEED_NEWS_ID = 318214
FIRST_GENERATED_ID = 317900
GENERATED = 300
SECTIONS = ["World", "Middle East", "Politics", "Business", "Sport", "Science", "Culture"]
SUBSECTIONS = {"Europe": "World", "Iraq": "Middle East"}
PLACES = {
    "World": ["GENEVA", "NAIROBI", "BRUSSELS"],
    "Middle East": ["BAGHDAD", "BEIRUT", "AMMAN"],
    "Politics": ["LONDON", "PARIS"],
    "Business": ["FRANKFURT", "SINGAPORE"],
    "Sport": ["MADRID", "LAGOS"],
    "Science": ["GENEVA", "TOKYO"],
    "Culture": ["CAIRO", "VENICE"],
}
SUBSECTION_OF_PLACE = {"BRUSSELS": "Europe", "GENEVA": "Europe", "BAGHDAD": "Iraq"}
AUTHORS = [
    ("Amira Haddad", "Middle East Correspondent"),
    ("Daniel Okafor", "Political Editor"),
    ("Sofia Lindqvist", "Business Reporter"),
    ("Reza Karimi", "Tehran Bureau Chief"),
    ("Mei Tanaka", "Science Writer"),
    ("Lucas Moreau", "Sports Reporter"),
    ("Hannah Brooks", "Culture Editor"),
    ("Omar Farouk", "World Affairs Reporter"),
]
BIO = "{role} for Dateline's demo newsroom. A fictional byline: the stories under it describe no real events."
SUBJECTS = {
    "World": ["Leaders", "Aid agencies", "Envoys", "Coastal cities", "Foreign ministers"],
    "Middle East": ["Negotiators", "Border towns", "Regional ministers", "Relief convoys", "Port authorities"],
    "Politics": ["Parliament", "The opposition", "Coalition partners", "Voters", "The election commission"],
    "Business": ["Central bank", "Shipping firms", "Oil exporters", "Tech start-ups", "Farm co-operatives"],
    "Sport": ["The national team", "Marathon runners", "Club owners", "The football federation", "Young cyclists"],
    "Science": ["Researchers", "Astronomers", "Climate scientists", "A university lab", "Marine biologists"],
    "Culture": ["Film makers", "The national museum", "Publishers", "A theatre company", "Musicians"],
}
ACTIONS = [
    "agree on", "push back against", "prepare for", "report progress on", "call for talks on",
    "unveil plans for", "weigh the cost of", "set deadline for", "welcome", "question",
]  # fmt: skip
TOPICS = [
    "water-sharing deal", "new trade corridor", "winter relief plan", "budget reform", "digital ID scheme",
    "rail link", "season opener", "heritage restoration", "clean-energy target", "drought response",
]  # fmt: skip
# About twenty tags, given by what a headline is about, so a tag page gathers stories that belong together.
TOPIC_TAGS = {
    "water-sharing deal": ["Water", "Diplomacy"],
    "new trade corridor": ["Trade", "Transport"],
    "winter relief plan": ["Humanitarian aid"],
    "budget reform": ["Budget", "Economy"],
    "digital ID scheme": ["Technology", "Privacy"],
    "rail link": ["Transport", "Infrastructure"],
    "season opener": ["Football"],
    "heritage restoration": ["Heritage"],
    "clean-energy target": ["Energy", "Climate"],
    "drought response": ["Drought", "Climate", "Water"],
}
SUBJECT_TAGS = {
    "Parliament": "Parliament",
    "The election commission": "Elections",
    "Voters": "Elections",
    "Central bank": "Central banks",
    "Oil exporters": "Oil",
    "Relief convoys": "Humanitarian aid",
    "Climate scientists": "Climate",
    "The national museum": "Museums",
}
SEED_TAGS = ["Iraq", "Security"]
LIVE = 2  # the newest generated stories are live updates
CORRECTED = GENERATED - LIVE - 1
LIVE_ENTRIES = [
    (20, "Officials confirmed the talks had started behind closed doors.", False),
    (55, "A first draft is circulating among the delegations, two of them said.", False),
    (90, "Follow this page for updates through the day; the newest entries come first.", True),
    (130, "A spokesperson said a joint statement is expected before nightfall.", False),
]


def load():
    """Create the demo newsroom; run again, it changes nothing that is already there."""
    sections = demo_sections()
    authors = [
        Author.objects.get_or_create(name=n, defaults={"role": r, "bio": BIO.format(role=r), "is_demo": True})[0]
        for n, r in AUTHORS
    ]
    with transaction.atomic():
        import_file(SEED, Report())
        seed = Story.objects.get(news_id=SEED_NEWS_ID)
        if seed.section is None:
            seed.section = sections["Middle East"]
            seed.is_demo = True
            seed.save()
        if not seed.tags.exists():
            seed.tags.set(Tag.objects.get_or_create(name=name)[0] for name in SEED_TAGS)
        FrontPage.objects.update_or_create(language=seed.language, defaults={"lead": seed})
        created = generate_stories(sections, authors)
        tag_generated_stories()
        created += other_editions.load(seed, authors)
    return created


def demo_sections():
    """The top-level sections in navigation order, and a sub-section under two of them."""
    sections = {
        name: Section.objects.get_or_create(name=name, defaults={"position": i})[0] for i, name in enumerate(SECTIONS)
    }
    for name, parent in SUBSECTIONS.items():
        sections[name] = Section.objects.get_or_create(name=name, defaults={"parent": sections[parent]})[0]
    return sections


def generate_stories(sections, authors):
    rng = random.Random(2021)
    existing = set(
        Story.objects.filter(news_id__gte=FIRST_GENERATED_ID, news_id__lt=SEED_NEWS_ID).values_list(
            "news_id", flat=True
        )
    )
    now = timezone.now().replace(second=0, microsecond=0)
    created = 0
    for n in range(GENERATED):
        news_id = FIRST_GENERATED_ID + n
        section = rng.choice(SECTIONS)
        headline = f"{rng.choice(SUBJECTS[section])} {rng.choice(ACTIONS)} {rng.choice(TOPICS)}"
        age = timedelta(minutes=(GENERATED - n) * rng.randint(400, 700))
        byline = rng.sample(authors, rng.choice([1, 1, 1, 2]))
        if news_id in existing:
            continue
        place = PLACES[section][n % len(PLACES[section])] if n % 3 == 0 else ""
        story = Story(
            news_id=news_id,
            headline=headline,
            summary=f"{headline}, in a story generated as demo content.",
            body=paragraphs_to_html(demo_paragraphs(rng, headline, section)),
            section=sections[SUBSECTION_OF_PLACE.get(place, section)],
            location=place,
            reporting_credit="agencies" if n % 7 == 0 else "",
            story_type=Story.Type.LIVE if n >= GENERATED - LIVE else Story.Type.NEWS,
            status=Story.Status.PUBLISHED,
            published_at=now - age,
            is_demo=True,
        )
        story.save()
        story.authors.set(byline)
        add_extras(story, n)
        created += 1
    return created


def add_extras(story, n):
    """Live entries on the live stories, and a correction on one story (which marks it updated)."""
    if story.story_type == Story.Type.LIVE:
        for minutes, text, pinned in LIVE_ENTRIES:
            at = story.published_at + timedelta(minutes=minutes)
            LiveEntry.objects.create(story=story, body=f"<p>{text}</p>", created_at=at, is_pinned=pinned)
    if n == CORRECTED:
        noted = story.published_at + timedelta(hours=3)
        text = "An earlier version of this story gave the wrong day for the announcement."
        Correction.objects.create(story=story, text=text, created_at=noted)
        Story.objects.filter(pk=story.pk).update(revised_at=noted)


def tag_generated_stories():
    """Tag the generated stories that have no tags yet, by what their headlines are about."""
    generated = Story.objects.filter(is_demo=True, news_id__gte=FIRST_GENERATED_ID, news_id__lt=SEED_NEWS_ID)
    untagged = list(generated.filter(tags=None).only("pk", "headline"))
    tags = {}
    links = []
    for story in untagged:
        for name in headline_tags(story.headline):
            if name not in tags:
                tags[name] = Tag.objects.get_or_create(name=name)[0]
            links.append(Story.tags.through(story_id=story.pk, tag_id=tags[name].pk))
    Story.tags.through.objects.bulk_create(links)


def headline_tags(headline):
    """The demo tags a generated headline calls for."""
    names = [name for topic, names in TOPIC_TAGS.items() if topic in headline for name in names]
    names += [name for subject, name in SUBJECT_TAGS.items() if headline.startswith(subject)]
    return list(dict.fromkeys(names))


def demo_paragraphs(rng, headline, section):
    opening = f"{headline}, officials said on {rng.choice(['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'])}."
    middle = [
        f"The {section.lower()} desk followed the talks through the day as new details emerged.",
        "Several people familiar with the matter said the next steps would be announced within weeks.",
        "“We are moving forward carefully, and we will keep the public informed,” one spokesperson said.",
        "Critics said the timetable was ambitious and warned that funding had not yet been secured.",
        "Analysts expect the decision to shape the debate for the rest of the year.",
    ]
    rng.shuffle(middle)
    closing = "This story is demo content generated by Dateline; it describes no real events."
    return [opening, *middle[: rng.randint(2, 5)], closing]
