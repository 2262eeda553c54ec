"""What comments tell the page cache (dateline/pagecache): a story page's comment section depends on
`comments:<story id>` (the comment_section tag says so). A comment shows only once approved: approving it, or
changing or removing an approved one, changes that key."""

from django.db.models.signals import post_delete, post_init

from dateline.pagecache.keys import changed, on_change

from .models import Comment


def comments_key(story_id):
    return f"comments:{story_id}"


def comment_saved(sender, instance, **kwargs):
    was = getattr(instance, "_pagecache_status", None)
    if Comment.Status.APPROVED in (was, instance.status) or kwargs.get("signal") is post_delete:
        changed(comments_key(instance.story_id))
    instance._pagecache_status = instance.status


def comment_loaded(sender, instance, **kwargs):
    """post_init: a comment remembers whether it was approved."""
    instance._pagecache_status = instance.status


def connect():
    """Listen to the comments (CommentsConfig.ready)."""
    on_change(Comment, comment_saved)
    post_init.connect(comment_loaded, sender=Comment, dispatch_uid="pagecache-loaded-comments.Comment")
