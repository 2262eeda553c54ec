"""The newsroom desk at /newsroom/: who gets in, the home screen, the story list, the writing screen and its
workflow buttons, autosave, the live preview, conflicts merged block by block, corrections and moderation."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from dateline.accounts.models import Author
from dateline.articles.models import Correction, Story
from dateline.comments.models import Comment
from dateline.newsroom.models import Notice, PlannedItem

from .factories import make_comment, make_member, make_section, make_story

pytestmark = pytest.mark.django_db
MACHINERY = ["Axes", "OTP", "TOTP", "Groups", "API tokens", "Site administration"]


@pytest.fixture
def reporter(client):
    user = make_member("Reporter", first_name="Rana", last_name="Karim")
    client.force_login(user)
    return user


@pytest.fixture
def editor(client):
    user = make_member("Editor")
    client.force_login(user)
    return user


def own_story(user, **fields):
    story = make_story(published=False, created_by=user, **fields)
    story.authors.add(Author.objects.for_user(user))
    return story


def story_form(story=None, **changes):
    """What the writing screen posts for `story` (or a new one), with `changes`."""
    data = {"headline": "Talks resume in Basra", "summary": "Negotiators met.", "body": "<p>They met.</p>"}
    data |= {"language": "en", "story_type": "news", "tags": "", "section": "", "lead_image": ""}
    if story is not None:
        data |= {"headline": story.headline, "summary": story.summary, "body": story.body, "based_on": story.version}
        data |= {"language": story.language, "story_type": story.story_type}
    return {**data, **changes}


def write_url(story):
    return reverse("newsroom:write", args=[story.news_id])


def test_anonymous_visitor_is_sent_to_the_login_page(client):
    """The desk is for staff: a visitor is asked to log in and comes back to the desk after."""
    response = client.get("/newsroom/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/?next=/newsroom/")


def test_a_logged_in_reader_without_staff_status_is_refused(client):
    """An account that is not staff cannot open the desk."""
    client.force_login(User.objects.create_user("reader"))
    assert client.get("/newsroom/").status_code == 403


def test_home_shows_a_reporters_assignments_and_drafts_with_counts(client, reporter):
    """A reporter's first screen lists what is assigned to them and their drafts, each list with its count."""
    PlannedItem.objects.create(slug="basra-water", assignee=reporter, state="assigned")
    own_story(reporter, headline="My unfinished draft")
    make_story(published=False, headline="Someone else's draft")
    response = client.get("/newsroom/")
    assert response.context["assignments"]["count"] == 1 and response.context["drafts"]["count"] == 1
    assert "basra-water" in response.text and "My unfinished draft" in response.text
    assert "Someone else" not in response.text


@pytest.mark.parametrize("role", ["Reporter", "Editor", "Moderator"])
def test_no_admin_machinery_anywhere_a_journalist_works(client, role):
    """Reporters, editors and moderators see nothing of axes, OTP devices, groups or tokens on their desk pages."""
    user = make_member(role)
    client.force_login(user)
    story = own_story(user) if role != "Moderator" else None
    pages = ["/newsroom/", "/newsroom/notices"]
    if role != "Moderator":
        pages += ["/newsroom/stories/", "/newsroom/stories/new", write_url(story)]
    else:
        pages += ["/newsroom/comments"]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        for word in MACHINERY:
            assert word not in response.text, (path, word)


def test_home_shows_moderators_the_comments_waiting(client):
    """A moderator sees how many comments wait, and no story lists."""
    client.force_login(make_member("Moderator"))
    make_comment(make_story(), status=Comment.Status.PENDING)
    response = client.get("/newsroom/")
    assert response.context["pending_comments"]["count"] == 1 and "drafts" not in response.context


def test_home_query_count_does_not_grow_with_the_stories(client, editor, django_assert_max_num_queries):
    """The home screen makes the same number of queries for 3 stories as for 30."""
    for _ in range(3):
        make_story()
    with django_assert_max_num_queries(30) as few:
        client.get("/newsroom/")
    for _ in range(27):
        make_story(published=False)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/newsroom/")


def test_story_list_finds_stories_of_every_status_by_headline_or_news_id(client, editor):
    """The desk's search covers drafts, scheduled and published stories alike."""
    draft = make_story(published=False, headline="Flood defences draft")
    live = make_story(headline="Flood defences hold")
    make_story(headline="Election night")
    response = client.get("/newsroom/stories/?q=flood")
    assert set(response.context["page"].object_list) == {draft, live}
    response = client.get(f"/newsroom/stories/?q={live.news_id}")
    assert list(response.context["page"].object_list) == [live]
    assert list(client.get("/newsroom/stories/?q=flood&state=draft").context["page"].object_list) == [draft]


def test_a_reporter_writes_a_new_story_with_new_tags(client, reporter):
    """The first save makes a draft, bylined to its writer, with the typed tags (new ones created)."""
    response = client.post("/newsroom/stories/new", story_form(tags="Basra, Water rights"))
    story = Story.objects.get(headline="Talks resume in Basra")
    assert response.status_code == 302 and response["Location"] == write_url(story)
    assert story.status == Story.Status.DRAFT and story.created_by == reporter
    assert [tag.name for tag in story.tags.order_by("name")] == ["Basra", "Water rights"]
    assert [author.user for author in story.authors.all()] == [reporter]


def test_a_refused_save_keeps_everything_typed(client, reporter):
    """Without a headline the story is not saved, and the body and standfirst are still in the form."""
    response = client.post("/newsroom/stories/new", story_form(headline="", body="<p>Long text typed.</p>"))
    assert response.status_code == 400 and "Long text typed." in response.text
    assert not Story.objects.exists()


def test_a_reporter_sends_a_draft_for_review_but_cannot_publish(client, reporter):
    """ "Send for review" moves the draft on; a forged "publish" is refused and changes nothing."""
    story = own_story(reporter)
    client.post(write_url(story), story_form(story, action="submit"))
    story.refresh_from_db()
    assert story.status == Story.Status.REVIEW
    response = client.post(write_url(story), story_form(story, action="publish"))
    story.refresh_from_db()
    assert response.status_code == 400 and story.status == Story.Status.REVIEW


def test_an_editor_publishes_now_and_readers_see_it(client, editor):
    """ "Publish now" makes the story public at once."""
    story = make_story(published=False)
    client.post(write_url(story), story_form(story, action="publish"))
    assert Story.objects.published().filter(pk=story.pk).exists()


def test_an_editor_schedules_a_story_for_a_later_time(client, editor):
    """ "Schedule" with a future time keeps the story off the site until then."""
    story = make_story(published=False)
    later = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    client.post(write_url(story), story_form(story, action="schedule", published_at=later))
    assert Story.objects.scheduled().filter(pk=story.pk).exists()


def test_scheduling_without_a_future_time_is_refused_with_a_reason(client, editor):
    """A schedule needs a time to come; the story stays a draft and the reason is shown."""
    story = make_story(published=False)
    response = client.post(write_url(story), story_form(story, action="schedule", published_at=""))
    story.refresh_from_db()
    assert response.status_code == 400 and "in the future" in response.text and story.status == "draft"


def test_a_reporter_cannot_open_someone_elses_story(client, reporter):
    """A reporter's writing screen opens their own stories only."""
    assert client.get(write_url(make_story(published=False))).status_code == 403


def test_a_conflict_shows_both_versions_and_keeps_the_writers_text(client, reporter):
    """When someone saved meanwhile, the writer sees theirs and the stored text side by side; nothing is saved."""
    story = own_story(reporter, body="<p>One.</p><p>Two.</p>")
    opened = story_form(story)
    client.post(write_url(story), story_form(story, body="<p>One.</p><p>Two, by the editor.</p>"))
    response = client.post(write_url(story), {**opened, "body": "<p>One, by me.</p><p>Two.</p>"})
    assert response.status_code == 409
    assert "Two, by the editor." in response.text and "One, by me." in response.text
    story.refresh_from_db()
    assert story.body == "<p>One.</p><p>Two, by the editor.</p>"


def test_a_conflict_is_merged_paragraph_by_paragraph(client, reporter):
    """The writer keeps their first paragraph and takes the other's second: both edits survive."""
    story = own_story(reporter, body="<p>One.</p><p>Two.</p>")
    opened = story_form(story)
    client.post(write_url(story), story_form(story, body="<p>One.</p><p>Two, by the editor.</p>"))
    mine = {**opened, "body": "<p>One, by me.</p><p>Two.</p>"}
    conflict = client.post(write_url(story), mine).context["conflict"]
    choices = {f"block-{d.number}": "mine" if "by me" in "".join(d.mine) else "theirs" for d in conflict["differences"]}
    client.post(write_url(story), {**mine, **choices, "resolve": "1", "theirs_version": conflict["stored"].version})
    story.refresh_from_db()
    assert "One, by me." in story.body and "Two, by the editor." in story.body and "<p>Two.</p>" not in story.body


def test_autosave_keeps_a_draft_and_refuses_a_stale_one(client, reporter):
    """Autosave answers the new version; a second autosave based on the old version gets 409 with the current one."""
    story = own_story(reporter)
    url = reverse("newsroom:autosave", args=[story.news_id])
    first = client.post(url, story_form(story, body="<p>Autosaved.</p>"))
    assert first.status_code == 200 and Story.objects.get(pk=story.pk).body == "<p>Autosaved.</p>"
    stale = client.post(url, story_form(story, body="<p>Other.</p>"))
    assert stale.status_code == 409 and stale.json()["version"] == first.json()["version"]


def test_live_preview_shows_unsaved_text_in_the_public_design_and_saves_nothing(client, reporter):
    """The preview frame renders what is typed, framed only by the desk itself; the story is unchanged."""
    story = own_story(reporter)
    url = reverse("newsroom:live-preview", args=[story.news_id])
    response = client.post(url, story_form(story, headline="A sharper headline"))
    assert "A sharper headline" in response.text and response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert Story.objects.get(pk=story.pk).headline == story.headline


def test_the_writing_screen_may_frame_its_preview_and_nothing_else(client, reporter):
    """The desk's policy allows frames from the site itself (the preview), and still no inline script."""
    policy = client.get(write_url(own_story(reporter)))["Content-Security-Policy"]
    assert "frame-src" in policy and "'self'" in policy.split("frame-src")[1].split(";")[0]
    assert "'unsafe-inline'" not in policy


def test_an_editor_adds_a_typed_correction_from_the_writing_screen(client, editor):
    """A correction added on the desk appears on the story with its kind."""
    story = make_story()
    client.post(reverse("newsroom:add-correction", args=[story.news_id]), {"kind": "clarification", "text": "Fixed."})
    correction = Correction.objects.get(story=story)
    assert correction.kind == "clarification"
    assert "Fixed." in client.get(story.get_absolute_url()).text


def test_a_reporter_cannot_add_corrections(client, reporter):
    """Corrections are an editor's: a reporter's request is refused and nothing is added."""
    story = own_story(reporter)
    url = reverse("newsroom:add-correction", args=[story.news_id])
    assert client.post(url, {"kind": "correction", "text": "x"}).status_code == 403
    assert not Correction.objects.exists()


def test_tag_suggestions_complete_the_last_typed_name(client, reporter):
    """The tags field suggests existing tags that start with what is being typed after the last comma."""
    from dateline.articles.models import Tag

    Tag.objects.for_names(["Basra", "Baghdad", "Mosul"])
    answer = client.get(reverse("newsroom:suggestions", args=["tags"]), {"q": "Mosul, ba"}).json()
    assert answer == {"names": ["Baghdad", "Basra"]}


def test_a_moderator_approves_a_comment_from_the_desk(client):
    """The desk's queue approves a pending comment, which readers then see."""
    client.force_login(make_member("Moderator"))
    comment = make_comment(make_story(), status=Comment.Status.PENDING)
    client.post(reverse("newsroom:moderate-comment", args=[comment.pk]), {"status": "approved"})
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


def test_a_reporter_cannot_moderate(client, reporter):
    """Moderation needs the moderator's permission."""
    comment = make_comment(make_story(), status=Comment.Status.PENDING)
    assert client.post(reverse("newsroom:moderate-comment", args=[comment.pk]), {"status": "spam"}).status_code == 403


def test_opening_the_notices_marks_them_read(client, reporter):
    """Unread notices are counted in the desk's bar until the notices page is opened."""
    Notice.objects.create(user=reporter, text="Your story was sent back.")
    assert client.get("/newsroom/").context["unread_notices"] == 1
    client.get("/newsroom/notices")
    assert client.get("/newsroom/").context["unread_notices"] == 0


def test_the_desk_follows_the_story_language_direction_in_persian(client, reporter):
    """In Persian the desk is right-to-left, and the text fields follow their own text's direction."""
    response = client.get("/newsroom/stories/new", HTTP_ACCEPT_LANGUAGE="fa")
    assert 'dir="rtl"' in response.text and 'lang="fa"' in response.text
    assert response.text.count('dir="auto"') >= 2


def test_bylines_are_typed_by_name_and_a_misspelt_one_is_refused(client, editor):
    """Existing bylines are set by name; an unknown name keeps the form on screen with the reason."""
    Author.objects.create(name="Amira Haddad")
    story = make_story(published=False)
    client.post(write_url(story), story_form(story, authors="Amira Haddad"))
    assert [author.name for author in story.authors.all()] == ["Amira Haddad"]
    story.refresh_from_db()
    response = client.post(write_url(story), story_form(story, authors="Amira Hadad"))
    assert response.status_code == 400 and "No byline is called Amira Hadad." in response.text


def test_section_choice_is_kept(client, editor):
    """The side panel's section is saved with the story."""
    section = make_section("Economy")
    story = make_story(published=False)
    client.post(write_url(story), story_form(story, section=section.pk, seo_title="Basra water deal"))
    story.refresh_from_db()
    assert story.section == section and story.seo_title == "Basra water deal"


def setup_link():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("demo", site="http://127.0.0.1:8123", stdout=out)
    return out.getvalue()


def test_demo_prints_a_setup_link_that_creates_the_first_administrator(client):
    """A new site's first person follows the printed link, makes an account and lands on the desk."""
    printed = setup_link()
    link = next(line for line in printed.splitlines() if "/newsroom/setup/" in line).split("http://127.0.0.1:8123")[1]
    password = "a-long-and-unusual-passphrase-42"
    form = {"username": "nadia", "name": "Nadia Saleh", "password1": password, "password2": password}
    response = client.post(link, form)
    assert response.status_code == 302 and response["Location"] == "/newsroom/"
    user = User.objects.get(username="nadia")
    assert user.is_superuser and user.is_staff and user.get_full_name() == "Nadia Saleh"
    assert client.get("/newsroom/").status_code == 200


def test_the_setup_link_is_dead_once_the_site_has_an_administrator(client):
    """The link works once: after an administrator exists it answers 404, and the demo points to the desk instead."""
    link = next(line for line in setup_link().splitlines() if "/newsroom/setup/" in line).split("8123")[1]
    User.objects.create_superuser("owner", "", "x")
    assert client.get(link).status_code == 404
    assert "The newsroom: http://127.0.0.1:8123/newsroom/" in setup_link()


def test_a_forged_setup_link_is_refused(client):
    """Only a link signed by this site opens the setup form."""
    assert client.get("/newsroom/setup/forged-token").status_code == 404


def test_setup_refuses_a_weak_password_and_creates_nobody(client):
    """The first administrator's password passes the site's password rules."""
    link = next(line for line in setup_link().splitlines() if "/newsroom/setup/" in line).split("8123")[1]
    response = client.post(link, {"username": "nadia", "password1": "123", "password2": "123"})
    assert response.status_code == 200 and not User.objects.filter(username="nadia").exists()


def test_a_journalist_chooses_the_desk_language(client, reporter):
    """The language chosen in the desk's bar sticks: the desk is then in Persian, right to left."""
    response = client.post(reverse("newsroom:language"), {"language": "fa", "next": "/newsroom/"})
    assert response.status_code == 302 and response["Location"] == "/newsroom/"
    assert 'lang="fa" dir="rtl"' in client.get("/newsroom/").text


def test_logging_in_with_nowhere_else_to_go_leads_to_the_desk(client):
    """A journalist who opens the login page directly lands on the desk, not on the site's administration."""
    User.objects.create_user("rana", password="a-long-and-unusual-passphrase-42", is_staff=True)
    form = client.get("/admin/login/")
    assert 'name="next" value="/newsroom/"' in form.text
    response = client.post(
        "/admin/login/", {"username": "rana", "password": "a-long-and-unusual-passphrase-42", "next": "/newsroom/"}
    )
    assert response.status_code == 302 and response["Location"] == "/newsroom/"


def test_a_lead_image_uploaded_from_the_side_panel_becomes_the_storys(client, reporter, settings, tmp_path):
    """A picture chosen in the side panel is stored, with its alternative text, as the story's lead image."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image as PILImage

    settings.MEDIA_ROOT = tmp_path
    png = io.BytesIO()
    PILImage.new("RGB", (800, 500), "teal").save(png, "PNG")
    story = own_story(reporter)
    upload = SimpleUploadedFile("harbour.png", png.getvalue(), content_type="image/png")
    client.post(write_url(story), story_form(story, new_lead_image=upload, new_lead_image_alt="Boats in the harbour"))
    story.refresh_from_db()
    assert story.lead_image.alt_text == "Boats in the harbour" and story.lead_image.uploaded_by == reporter
