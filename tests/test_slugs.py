"""Finding or making tags, sections and bylines by name, with one slug allocator (accounts.slugs)."""

import pytest

from dateline.accounts.models import Author
from dateline.articles.models import Section, Tag

pytestmark = pytest.mark.django_db


def test_a_taken_slug_gets_the_next_free_number():
    """Two authors with one name: amira-haddad, then amira-haddad-2."""
    first, second = Author.objects.create(name="Amira Haddad"), Author.objects.create(name="Amira Haddad")
    assert (first.slug, second.slug) == ("amira-haddad", "amira-haddad-2")


def test_a_row_keeps_its_own_slug_when_excluded():
    """An author's own slug is free for them (a save that re-slugs them does not move them to -2)."""
    author = Author.objects.create(name="Lina Aziz")
    assert Author.objects.free_slug("Lina Aziz", exclude_pk=author.pk) == "lina-aziz"
    assert Author.objects.free_slug("Lina Aziz") == "lina-aziz-2"


def test_a_name_without_letters_gets_the_model_name_as_slug():
    """A name that slugifies to nothing becomes `tag`, `tag-2`, …"""
    assert Tag.objects.free_slug("!!!") == "tag"


def test_a_long_name_leaves_room_for_the_number():
    """The slug of a very long name fits its column with a number added."""
    slug = Tag.objects.free_slug("word " * 100)
    assert len(f"{slug}-99") <= Tag._meta.get_field("slug").max_length


def test_a_tag_is_found_by_its_name_in_any_case_or_by_its_slug():
    """ "ports" finds the tag "Ports"; a slug finds it too; nothing new is made."""
    ports = Tag.objects.create(name="Ports", slug="ports")
    assert Tag.objects.for_name("ports") == ports
    assert Tag.objects.for_name("Harbours", slug="ports") == ports
    assert Tag.objects.count() == 1


def test_a_missing_tag_is_made_with_its_slug_from_its_name():
    """A name no tag has (in any case) and whose slug no tag has: a new tag, slug from the name."""
    Tag.objects.create(name="Iraq", slug="iraq")
    made = Tag.objects.for_name("Iraq war")
    assert (made.name, made.slug, Tag.objects.count()) == ("Iraq war", "iraq-war", 2)


def test_tags_for_names_come_once_each_in_order_without_empty_names():
    """["Oil", "", "oil", "Gas"] gives Oil and Gas."""
    assert [tag.name for tag in Tag.objects.for_names(["Oil", " ", "oil", "Gas"])] == ["Oil", "Gas"]


def test_a_section_is_found_by_slug_and_left_as_it_is():
    """An existing section keeps its name and parent; a missing one is made under the parent given."""
    world = Section.objects.create(name="World", slug="world")
    assert Section.objects.for_slug("world", "Elsewhere") == world
    sport = Section.objects.for_slug("", "Sport", parent=world)
    assert (sport.slug, sport.name, sport.parent) == ("sport", "Sport", world)
    assert Section.objects.get(slug="world").name == "World"


def test_a_byline_is_found_by_its_exact_name_or_made():
    """The same name finds the same author; another spelling makes a new one without an account."""
    wire = Author.objects.for_name("Wire Service")
    assert Author.objects.for_name("Wire Service") == wire
    assert Author.objects.for_name("wire service") != wire
    assert wire.user is None and Author.objects.count() == 2
