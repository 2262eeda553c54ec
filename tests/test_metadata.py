"""Story pages describe themselves to machines: canonical URL, description, Open Graph, Twitter, NewsArticle JSON-LD."""

import json
import re
from datetime import UTC, datetime, timedelta

import jsonschema
import pytest
from django.utils import timezone
from lxml import html as lxml_html

from .factories import make_author, make_section, make_story

pytestmark = pytest.mark.django_db

# What Google documents for NewsArticle rich results, as a schema: the fields we promise, with their types.
NEWS_ARTICLE_SCHEMA = {
    "type": "object",
    "required": [
        "@context",
        "@type",
        "headline",
        "datePublished",
        "dateModified",
        "author",
        "publisher",
        "mainEntityOfPage",
        "inLanguage",
    ],
    "properties": {
        "@context": {"const": "https://schema.org"},
        "@type": {"const": "NewsArticle"},
        "headline": {"type": "string", "minLength": 1},
        "datePublished": {"type": "string", "format": "date-time"},
        "dateModified": {"type": "string", "format": "date-time"},
        "inLanguage": {"type": "string", "pattern": "^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"},
        "author": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["@type", "name"],
                "properties": {"@type": {"enum": ["Person", "Organization"]}},
            },
        },
        "publisher": {
            "type": "object",
            "required": ["@type", "name", "logo"],
            "properties": {"logo": {"type": "object", "required": ["@type", "url"]}},
        },
        "mainEntityOfPage": {"type": "object", "required": ["@type", "@id"]},
        "image": {"type": "array", "items": {"type": "object", "required": ["url", "width", "height"]}},
    },
}


@pytest.fixture
def story():
    story = make_story(
        "Foreign combat forces to leave Iraq in 15 days: Military",
        news_id=318214,
        published_at=datetime(2021, 11, 24, 3, 50, tzinfo=UTC),
        section=make_section("Middle East"),
        summary="A senior Iraqi military official said all foreign combat forces will leave within 15 days.",
    )
    story.authors.add(make_author("Amira Haddad"))
    return story


def page(client, story):
    return lxml_html.fromstring(client.get(story.get_absolute_url()).content)


def json_ld(tree):
    blocks = tree.xpath('//script[@type="application/ld+json"]/text()')
    assert len(blocks) == 1
    return json.loads(blocks[0])


def meta(tree, key):
    values = tree.xpath(f'//meta[@property="{key}" or @name="{key}"]/@content')
    assert len(values) == 1, key
    return values[0]


def test_news_article_json_ld_is_valid_and_complete(client, story):
    """The JSON-LD validates against the NewsArticle fields we promise."""
    data = json_ld(page(client, story))
    jsonschema.validate(data, NEWS_ARTICLE_SCHEMA, format_checker=jsonschema.FormatChecker())
    assert data["publisher"]["logo"]["url"].startswith("http://testserver/static/dateline/logo")


def test_json_ld_agrees_with_the_page(client, story):
    """Headline, dates, author, language and URL in the JSON-LD are those the reader sees."""
    tree = page(client, story)
    data = json_ld(tree)
    assert data["headline"] == tree.xpath("//h1/text()")[0]
    shown = tree.xpath('//p[@class="dateline"]/time/@datetime')[0]
    assert datetime.fromisoformat(data["datePublished"]) == datetime.fromisoformat(shown.replace("Z", "+00:00"))
    assert data["dateModified"] == data["datePublished"]
    assert [a["name"] for a in data["author"]] == ["Amira Haddad"]
    assert data["inLanguage"] == tree.xpath("/html/@lang")[0]
    assert data["mainEntityOfPage"]["@id"] == tree.xpath('//link[@rel="canonical"]/@href')[0]
    assert data["articleSection"] == "Middle East"


def test_date_modified_follows_the_updated_line(client, story):
    """When the page shows "Updated:", dateModified is that time."""
    story.revised_at = story.published_at + timedelta(hours=2)
    story.save()
    data = json_ld(page(client, story))
    assert datetime.fromisoformat(data["dateModified"]) == story.revised_at


def test_open_graph_and_twitter_tags(client, story):
    """Sharing a story shows its headline, summary, URL and times."""
    tree = page(client, story)
    canonical = tree.xpath('//link[@rel="canonical"]/@href')[0]
    assert meta(tree, "og:type") == "article"
    assert meta(tree, "og:title") == story.headline
    assert meta(tree, "og:description") == story.summary
    assert meta(tree, "og:url") == canonical
    assert meta(tree, "article:published_time") == "2021-11-24T03:50:00Z"
    assert meta(tree, "twitter:card") == "summary"
    assert meta(tree, "description") == story.summary


def test_hostile_headline_cannot_break_out_of_json_ld(client):
    """A headline with </script> stays inside the JSON-LD string and parses back exactly."""
    headline = '</script><script>alert(1)</script> & "quotes"'
    story = make_story(headline, published_at=timezone.now() - timedelta(minutes=5))
    content = client.get(story.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in content
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.DOTALL)[1]
    assert json.loads(block)["headline"] == headline
