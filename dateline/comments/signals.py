"""What the comments app announces."""

from django.db.models.signals import post_init, post_save
from django.dispatch import Signal

from .models import Comment

# sender=Comment; comment. A comment became visible under its story (approved by a moderator, or on arrival when
# moderation is off).
comment_approved = Signal()


def comment_loaded(sender, instance, **kwargs):
    instance._status_when_loaded = instance.status


def comment_saved(sender, instance, created, **kwargs):
    was = None if created else getattr(instance, "_status_when_loaded", None)
    if instance.status == Comment.Status.APPROVED and was != Comment.Status.APPROVED:
        comment_approved.send(Comment, comment=instance)
    instance._status_when_loaded = instance.status


def connect():
    post_init.connect(comment_loaded, sender=Comment, dispatch_uid="comments-status-loaded")
    post_save.connect(comment_saved, sender=Comment, dispatch_uid="comments-approved")
