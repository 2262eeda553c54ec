from urllib.parse import quote

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Revision(models.Model):
    """A story as it was after one save: who saved it, when, which fields changed, and all its fields."""

    story = models.ForeignKey(
        "articles.Story",
        verbose_name=_("story"),
        on_delete=models.CASCADE,
        related_name="revisions",
        db_index=False,  # one_revision_per_version starts with it
    )
    version = models.PositiveIntegerField(_("version"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # revision_user: imports save revisions by nobody, which it leaves out
    )
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)
    changed = models.JSONField(_("changed fields"), default=list)
    data = models.JSONField(_("content"))

    class Meta:
        ordering = ["-version"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [models.UniqueConstraint(fields=["story", "version"], name="one_revision_per_version")]
        indexes = [models.Index(fields=["user"], condition=models.Q(user__isnull=False), name="revision_user")]

    def __str__(self):
        return _("%(story)s, version %(version)s") % {"story": self.story_id, "version": self.version}


class AuditEntry(models.Model):
    """An append-only record of a publish, unpublish, delete or role change."""

    class Action(models.TextChoices):
        PUBLISH = "publish", _("Published")
        SCHEDULE = "schedule", _("Scheduled")
        UNPUBLISH = "unpublish", _("Unpublished")
        DELETE = "delete", _("Deleted")
        RESTORE = "restore", _("Restored a revision")
        ROLE = "role", _("Changed roles")

    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.CharField(_("subject"), max_length=300, help_text=_("What was acted on, as it was named then."))
    news_id = models.PositiveBigIntegerField(_("News ID"), null=True, blank=True, db_index=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.subject}"


class PlannedItem(models.Model):
    """A line of the story budget: what is coming, from which desk, by whom; linked to its draft once begun."""

    class State(models.TextChoices):
        IDEA = "idea", _("Idea")
        ASSIGNED = "assigned", _("Assigned")
        FILED = "filed", _("Filed")
        EDITED = "edited", _("Edited")
        PUBLISHED = "published", _("Published")

    slug = models.CharField(_("slug"), max_length=120, help_text=_("The budget line, e.g. “iraq-troops-leave”."))
    section = models.ForeignKey(
        "articles.Section", verbose_name=_("desk"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assignments",
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True, db_index=True)
    length = models.PositiveIntegerField(_("expected length (words)"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.IDEA)
    story = models.OneToOneField(
        "articles.Story", verbose_name=_("draft"), null=True, blank=True, on_delete=models.SET_NULL, related_name="plan"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("planned by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("planned item")
        verbose_name_plural = _("story budget")
        indexes = [models.Index(fields=["assignee", "state"], name="planned_assignee")]

    def __str__(self):
        return self.slug


class FollowUp(models.Model):
    """A dated promise or deadline found in a published story's text: a suggestion until an editor decides."""

    class State(models.TextChoices):
        SUGGESTED = "suggested", _("Suggested")
        ACCEPTED = "accepted", _("Accepted")
        DISMISSED = "dismissed", _("Dismissed")

    story = models.ForeignKey(
        "articles.Story", verbose_name=_("story"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    sentence = models.TextField(_("sentence"))
    phrase = models.CharField(_("phrase"), max_length=200, help_text=_("The words that name the date."))
    due = models.DateField(_("due"), db_index=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.SUGGESTED)
    planned_item = models.OneToOneField(
        PlannedItem, verbose_name=_("planned item"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("found at"), auto_now_add=True)

    class Meta:
        ordering = ["due", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [models.UniqueConstraint(fields=["story", "phrase", "due"], name="one_follow_up_per_promise")]

    def __str__(self):
        return f"{self.due}: {self.phrase}"

    def sentence_url(self):
        """The story's page, scrolled to the promise and marking it (a text fragment, where browsers know them)."""
        return f"{self.story.get_absolute_url()}#:~:text={quote(self.sentence, safe='').replace('-', '%2D')}"


class Review(models.Model):
    """An editor's decision on a version of a story: approved, or sent back to its writer."""

    class Decision(models.TextChoices):
        APPROVED = "approved", _("Approved")
        SENT_BACK = "sent-back", _("Sent back")

    story = models.ForeignKey(
        "articles.Story", verbose_name=_("story"), on_delete=models.CASCADE, related_name="reviews"
    )
    version = models.PositiveIntegerField(_("version"))
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self):
        return f"{self.story_id} v{self.version}: {self.decision}"


class Note(models.Model):
    """An internal note on a story, anchored to a passage of it: never public, never in feeds, the API or exports."""

    story = models.ForeignKey("articles.Story", verbose_name=_("story"), on_delete=models.CASCADE, related_name="notes")
    passage = models.TextField(_("passage"), blank=True, help_text=_("The words of the story the note is about."))
    text = models.TextField(_("note"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(_("version"), default=0)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        indexes = [models.Index(fields=["story"], condition=models.Q(resolved_at__isnull=True), name="note_open")]

    def __str__(self):
        return self.text[:60]


class Notice(models.Model):
    """Something the desk tells one person: a story sent back, approved, assigned; read when they open it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("for"), on_delete=models.CASCADE, related_name="desk_notices"
    )
    text = models.CharField(_("text"), max_length=300)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [models.Index(fields=["user", "read_at"], name="notice_unread")]

    def __str__(self):
        return self.text
