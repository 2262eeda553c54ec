from django.db import models
from django.utils.translation import gettext_lazy as _

NAME_MAX = 80
BODY_MAX = 5000


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)


class Comment(models.Model):
    """A reader's comment: plain text, shown escaped, and only once a moderator approves it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        SPAM = "spam", _("Spam")

    story = models.ForeignKey(
        "articles.Story", verbose_name=_("story"), on_delete=models.CASCADE, related_name="comments"
    )
    name = models.CharField(_("name"), max_length=NAME_MAX)
    email = models.EmailField(_("e-mail"), blank=True, help_text=_("Never shown publicly."))
    body = models.TextField(_("comment"), max_length=BODY_MAX)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("posted at"), auto_now_add=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        permissions = [("moderate_comment", _("Can approve, reject and mark comments as spam"))]
        indexes = [
            models.Index(fields=["story", "status", "created_at"], name="comment_thread"),
            # the moderators' queue: the few pending among all
            models.Index(fields=["created_at"], condition=models.Q(status="pending"), name="comment_pending"),
        ]

    def __str__(self):
        return _("%(name)s on %(story)s") % {"name": self.name, "story": self.story_id}
