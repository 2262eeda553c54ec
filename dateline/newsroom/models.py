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
