"""Revisions: one per save, the diff of any two, and restoring an old version."""

import pytest
from django.urls import reverse

from dateline.articles.models import Section, Story, Tag
from dateline.articles.workflow import publish, save_story
from dateline.newsroom.models import AuditEntry, Revision
from dateline.newsroom.revisions import word_diff

from .factories import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return make_member("Editor")


@pytest.fixture
def reporter():
    return make_member("Reporter")


def write(user, headline="Talks open in Vienna", body="<p>Delegates met on Monday.</p>", tags=("Diplomacy",)):
    """A new story saved in the newsroom (version 1, with its first revision)."""
    story = Story(headline=headline, body=body)
    save_story(story, user, tags=[Tag.objects.get_or_create(name=name)[0] for name in tags])
    return story


def edit(story, user, tags=None, **fields):
    for name, value in fields.items():
        setattr(story, name, value)
    tag_rows = None if tags is None else [Tag.objects.get_or_create(name=name)[0] for name in tags]
    save_story(story, user, based_on=story.version, tags=tag_rows)
    return story


def revisions_page(story):
    return reverse("newsroom:revisions", args=[story.news_id])


def diff_page(story, a, b):
    return reverse("newsroom:diff", args=[story.news_id]) + f"?a={a}&b={b}"


def restore(client, story, version, **data):
    return client.post(reverse("newsroom:restore", args=[story.news_id, version]), data)


def test_each_save_keeps_a_revision_with_who_and_which_fields(reporter):
    """Every save leaves a revision naming the user, the version and the fields that changed."""
    story = write(reporter)
    edit(story, reporter, headline="Talks stall in Vienna")
    edit(story, reporter, body="<p>Delegates left early.</p>", summary="No deal.")
    kept = list(Revision.objects.filter(story=story).order_by("version").values_list("version", "user", "changed"))
    assert kept == [(1, reporter.pk, []), (2, reporter.pk, ["headline"]), (3, reporter.pk, ["summary", "body"])]


def test_revision_keeps_the_full_story(reporter):
    """A revision holds the headline, body and tags as they were after that save."""
    story = write(reporter)
    edit(story, reporter, headline="Talks stall in Vienna", tags=["Diplomacy", "Austria"])
    data = story.revisions.get(version=2).data
    assert (data["headline"], data["body"], data["tags"]) == (
        "Talks stall in Vienna",
        "<p>Delegates met on Monday.</p>",
        ["Austria", "Diplomacy"],
    )


def test_changed_tags_count_as_a_change(reporter):
    """Changing only the tags lists "tags" among the changed fields."""
    story = write(reporter)
    edit(story, reporter, tags=["Diplomacy", "Austria"])
    assert story.revisions.get(version=2).changed == ["tags"]


def test_revision_list_shows_versions_users_and_changes(client, reporter, editor):
    """The list names each version, who saved it, and the changed fields by their labels."""
    story = write(reporter)
    edit(story, editor, headline="Talks stall in Vienna")
    client.force_login(editor)
    response = client.get(revisions_page(story))
    assert response.status_code == 200
    assert b'id="version-2"' in response.content and b'id="version-1"' in response.content
    assert b"editor" in response.content and b"reporter" in response.content
    assert b"Headline" in response.content
    assert b"Restore this version" in response.content


def test_reporter_sees_history_of_own_draft(client, reporter):
    """A reporter may read the revisions of a draft they may edit."""
    story = write(reporter)
    client.force_login(reporter)
    assert client.get(revisions_page(story)).status_code == 200


def test_staff_who_may_not_edit_the_story_get_403(client, editor):
    """A reporter who did not write the story may not read its history."""
    story = write(editor)
    client.force_login(make_member("Reporter", "other-reporter"))
    assert client.get(revisions_page(story)).status_code == 403
    assert client.get(diff_page(story, 1, 1)).status_code == 403


def test_anonymous_visitor_is_sent_to_login(client, editor):
    """The revision pages need a staff login."""
    story = write(editor)
    response = client.get(revisions_page(story))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_diff_marks_removed_and_added_words(client, editor):
    """The diff shows the old headline's removed word in <del> and the new one's added word in <ins>."""
    story = write(editor, headline="Minister resigns over leak")
    edit(story, editor, headline="Minister stays despite leak")
    client.force_login(editor)
    response = client.get(diff_page(story, 1, 2))
    assert response.status_code == 200
    assert b"<del>resigns over</del>" in response.content
    assert b"<ins>stays despite</ins>" in response.content


def test_diff_shows_only_changed_fields(client, editor):
    """Fields the two versions share are not listed."""
    story = write(editor)
    edit(story, editor, headline="Talks stall in Vienna")
    client.force_login(editor)
    response = client.get(diff_page(story, 1, 2))
    assert b"diff-headline" in response.content
    assert b"diff-body" not in response.content


def test_diff_shows_body_markup_as_text(client, editor):
    """The body's HTML is shown escaped, as markup to read, never rendered."""
    story = write(editor, body="<p>Talks <strong>failed</strong>.</p>")
    edit(story, editor, body='<p>Talks <a href="https://example.org/">resumed</a>.</p>')
    client.force_login(editor)
    response = client.get(diff_page(story, 1, 2))
    assert b"&lt;strong&gt;" in response.content
    assert b"<strong>failed" not in response.content
    assert b'<a href="https://example.org/">' not in response.content


def test_diff_keeps_hostile_text_inert(client, editor):
    """Markup in a headline (which is plain text) comes out escaped in the diff."""
    story = write(editor)
    edit(story, editor, headline='<script>alert(1)</script><img src=x onerror="alert(2)">')
    client.force_login(editor)
    response = client.get(diff_page(story, 1, 2))
    assert b"<script>alert" not in response.content
    assert b"<img src=x" not in response.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in response.content


def test_diff_defaults_to_the_latest_change(client, editor):
    """Without versions named, the diff compares the latest version with the one before."""
    story = write(editor, headline="First headline")
    edit(story, editor, headline="Second headline")
    edit(story, editor, headline="Third headline")
    client.force_login(editor)
    response = client.get(reverse("newsroom:diff", args=[story.news_id]))
    assert b"<del>Second</del>" in response.content
    assert b"<ins>Third</ins>" in response.content


@pytest.mark.parametrize("query", ["?a=1&b=99", "?a=x&b=1"])
def test_diff_of_a_version_that_does_not_exist_is_404(client, editor, query):
    """An unknown or malformed version is a 404, not an error."""
    story = write(editor)
    client.force_login(editor)
    assert client.get(reverse("newsroom:diff", args=[story.news_id]) + query).status_code == 404


def test_word_diff_escapes_both_sides():
    """Changed and unchanged words alike come out escaped."""
    old, new = word_diff("<b>a</b> & x", "<i>a</i> & x")
    assert old == "<del>&lt;b&gt;</del>a<del>&lt;/b&gt;</del> &amp; x"
    assert new == "<ins>&lt;i&gt;</ins>a<ins>&lt;/i&gt;</ins> &amp; x"


def test_restore_brings_back_old_headline_body_and_tags(client, editor):
    """Restoring version 1 puts back its headline, body and tags."""
    story = write(editor)
    edit(story, editor, headline="Talks stall", body="<p>Nothing moved.</p>", tags=["Austria"])
    client.force_login(editor)
    response = restore(client, story, 1, based_on=story.version)
    assert response.status_code == 302
    story.refresh_from_db()
    assert (story.headline, story.body) == ("Talks open in Vienna", "<p>Delegates met on Monday.</p>")
    assert list(story.tags.values_list("name", flat=True)) == ["Diplomacy"]


def test_restore_is_a_new_revision_and_an_audit_entry(client, editor):
    """A restore saves a new version (with its own revision) and writes a "restore" audit entry."""
    story = write(editor)
    edit(story, editor, headline="Talks stall")
    client.force_login(editor)
    restore(client, story, 1)
    story.refresh_from_db()
    assert story.version == 3
    assert story.revisions.get(version=3).changed == ["headline"]
    entry = AuditEntry.objects.get(action=AuditEntry.Action.RESTORE)
    assert (entry.user, entry.news_id, entry.details["restored"], entry.details["version"]) == (
        editor,
        story.news_id,
        1,
        3,
    )


def test_restore_keeps_the_story_published(client, editor):
    """Restoring a draft-era version changes the text of a published story, not its status."""
    story = write(editor)
    edit(story, editor, headline="Talks stall")
    publish(story, editor)
    client.force_login(editor)
    restore(client, story, 1)
    story.refresh_from_db()
    assert (story.headline, story.status) == ("Talks open in Vienna", Story.Status.PUBLISHED)


def test_restore_leaves_a_deleted_section_empty(client, editor):
    """A section deleted since the revision does not break the restore."""
    story = write(editor)
    edit(story, editor, section=Section.objects.create(name="Gone"))
    edit(story, editor, headline="Talks stall")
    Section.objects.get(name="Gone").delete()
    client.force_login(editor)
    restore(client, story, 2)
    story.refresh_from_db()
    assert (story.headline, story.section) == ("Talks open in Vienna", None)


def test_user_who_may_not_edit_gets_403_and_nothing_changes(client, editor):
    """A reporter who did not write the story cannot restore it: 403, no new version, no audit entry."""
    story = write(editor)
    edit(story, editor, headline="Talks stall")
    client.force_login(make_member("Reporter", "other-reporter"))
    assert restore(client, story, 1).status_code == 403
    story.refresh_from_db()
    assert (story.headline, story.version) == ("Talks stall", 2)
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.RESTORE).exists()


def test_reporter_restores_own_draft(client, reporter):
    """The story's own reporter may restore while it is an editable draft."""
    story = write(reporter)
    edit(story, reporter, headline="Talks stall")
    client.force_login(reporter)
    restore(client, story, 1)
    story.refresh_from_db()
    assert story.headline == "Talks open in Vienna"


def test_restore_needs_a_post(client, editor):
    """Following a link cannot restore anything."""
    story = write(editor)
    edit(story, editor, headline="Talks stall")
    client.force_login(editor)
    assert client.get(reverse("newsroom:restore", args=[story.news_id, 1])).status_code == 405
    story.refresh_from_db()
    assert story.headline == "Talks stall"


def test_restore_after_someone_saved_meanwhile_changes_nothing(client, editor):
    """A restore based on a version someone has since saved over is refused with a message."""
    story = write(editor)
    edit(story, editor, headline="Talks stall")
    shown_version = story.version
    edit(story, editor, headline="Talks collapse")
    client.force_login(editor)
    response = client.post(
        reverse("newsroom:restore", args=[story.news_id, 1]), {"based_on": shown_version}, follow=True
    )
    assert b"nothing was restored" in response.content
    story.refresh_from_db()
    assert (story.headline, story.version) == ("Talks collapse", 3)
