"""Newsroom pages: a story's revisions, the diff of two, restoring one, and preview links."""

from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from dateline.articles.links import absolute_url
from dateline.articles.models import Story
from dateline.articles.permissions import can_edit
from dateline.articles.views import render_story
from dateline.articles.workflow import Conflict

from .models import Revision
from .preview import LinkExpired, link_lifetime, news_id_from, preview_url
from .revisions import compare, field_label, may_see_revisions, restore_revision

REVISIONS_PER_PAGE = 50


def story_for(user, news_id, allowed):
    """The story with this News ID (404 if none), when `allowed(user, story)`; else 403."""
    story = get_object_or_404(Story, news_id=news_id)
    if not allowed(user, story):
        raise PermissionDenied
    return story


def admin_page(request, template, title, story, **context):
    """A page in the admin's frame: its header, sidebar and styles."""
    context = {**admin.site.each_context(request), "title": title, "story": story, **context}
    return render(request, template, context)


@staff_member_required
def revision_list(request, news_id):
    """Every kept version, newest first: who saved it, when, what changed; with compare and restore."""
    story = story_for(request.user, news_id, may_see_revisions)
    revisions = story.revisions.select_related("user").defer("data")  # the list shows no content
    page = Paginator(revisions, REVISIONS_PER_PAGE).get_page(request.GET.get("page"))
    for revision in page:
        revision.changed_labels = [field_label(name) for name in revision.changed]
    title = _("Revisions of “%(headline)s”") % {"headline": story.headline}
    return admin_page(
        request,
        "newsroom/revisions.html",
        title,
        story,
        page=page,
        may_restore=can_edit(request.user, story),
    )


@staff_member_required
def revision_diff(request, news_id):
    """Two versions side by side: `b` (default: the latest) against `a` (default: the one before `b`)."""
    story = story_for(request.user, news_id, may_see_revisions)
    newer = chosen_revision(story, request.GET.get("b"))
    older = chosen_revision(story, request.GET.get("a"), before=newer)
    if older.version > newer.version:
        older, newer = newer, older
    title = _("Changes to “%(headline)s”") % {"headline": story.headline}
    context = {"older": older, "newer": newer, "changes": compare(older, newer)}
    return admin_page(request, "newsroom/diff.html", title, story, **context)


def chosen_revision(story, version, before=None):
    """The revision named by a query parameter; without one, the latest (or the one just before `before`)."""
    revisions = story.revisions.select_related("user")
    if version is not None:
        if not version.isdigit():
            raise Http404("No such version")
        return get_object_or_404(revisions, version=int(version))
    if before is not None:
        return revisions.filter(version__lt=before.version).first() or before
    latest = revisions.first()
    if latest is None:
        raise Http404("This story has no revisions yet")
    return latest


@require_POST
@staff_member_required
def restore(request, news_id, version):
    """Make an old version the newest one; refused (403) to whoever may not edit the story."""
    story = story_for(request.user, news_id, can_edit)
    revision = get_object_or_404(Revision, story=story, version=version)
    try:
        restore_revision(revision, request.user, based_on=based_on(request))
    except Conflict:
        messages.error(request, _("Someone saved this story meanwhile; nothing was restored. Look again and retry."))
        return redirect("newsroom:revisions", news_id=news_id)
    messages.success(request, _("Version %(version)s was restored as a new version.") % {"version": version})
    return redirect("newsroom:revisions", news_id=news_id)


def based_on(request):
    """The story's version when the restore button was shown (a stale one means someone saved since)."""
    value = request.POST.get("based_on", "")
    return int(value) if value.isdigit() else None


@never_cache
def preview(request, token):
    """The story as it will look, for whoever holds a genuine, unexpired link; a published story's link leads to it."""
    try:
        news_id = news_id_from(token)
    except signing.BadSignature:
        raise Http404("No such preview") from None
    except LinkExpired:
        return render(request, "newsroom/preview_expired.html", status=410)
    story = get_object_or_404(Story.objects.select_related("section", "lead_image"), news_id=news_id)
    if Story.objects.published().filter(pk=story.pk).exists():
        return redirect(story)
    response = render_story(request, story, {"preview": True})
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"  # links in the draft must not carry the token away
    return response


@staff_member_required
def preview_link(request, news_id):
    """A preview link to copy and send, for whoever may edit the story."""
    story = story_for(request.user, news_id, can_edit)
    lifetime = link_lifetime()
    context = {
        "link": absolute_url(preview_url(story, lifetime), request),
        "expires_at": timezone.now() + lifetime,
    }
    return admin_page(request, "newsroom/preview_link.html", _("Preview link"), story, **context)
