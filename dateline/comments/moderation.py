"""Moderators' decisions, for the admin and the API alike."""

from .models import Comment
from .signals import comment_approved


def moderate(comment, status):
    """Set the comment's status; a comment that becomes visible is announced (comment_approved)."""
    was, comment.status = comment.status, status
    comment.save(update_fields=["status"])  # one save each, so listeners (the page cache) hear of every change
    if status == Comment.Status.APPROVED and was != Comment.Status.APPROVED:
        comment_approved.send(Comment, comment=comment)
