"""/api/v1/comments: the moderation queue, for those who may moderate."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Query, Router

from dateline.comments import moderation
from dateline.comments.models import Comment

from ..auth import token_required
from .pagination import keyset_page
from .schemas import OBJECT_ERRORS as ERRORS
from .schemas import CommentFilters, CommentOut, CommentPage, RowId

router = Router(tags=["comments"], auth=token_required)


def require_moderator(user):
    if not (user.is_active and user.has_perm("comments.moderate_comment")):
        raise PermissionDenied("You may not moderate comments.")


def comment_data(comment):
    return {
        "id": comment.pk,
        "news_id": comment.story.news_id,
        "name": comment.name,
        "body": comment.body,
        "status": comment.status,
        "created_at": comment.created_at,
    }


@router.get("/comments", response={200: CommentPage, **ERRORS})
def comment_list(request, filters: Query[CommentFilters]):
    """Comments in one status (default: pending), oldest first: the queue in the order it filled."""
    require_moderator(request.auth)
    comments = Comment.objects.filter(status=filters.status).select_related("story")
    items, next_cursor = keyset_page(comments, ["created_at", "id"], filters.cursor, filters.limit, name="comments")
    return {"items": [comment_data(comment) for comment in items], "next": next_cursor}


def moderate(request, pk, status):
    """Set a comment's status and return it."""
    require_moderator(request.auth)
    comment = get_object_or_404(Comment.objects.select_related("story"), pk=pk)
    moderation.moderate(comment, status)
    return comment_data(comment)


@router.post("/comments/{id}/approve", response={200: CommentOut, **ERRORS})
def approve_comment(request, id: RowId):
    """Show the comment under its story."""
    return moderate(request, id, Comment.Status.APPROVED)


@router.post("/comments/{id}/reject", response={200: CommentOut, **ERRORS})
def reject_comment(request, id: RowId):
    """Keep the comment off the site."""
    return moderate(request, id, Comment.Status.REJECTED)


@router.post("/comments/{id}/spam", response={200: CommentOut, **ERRORS})
def mark_comment_spam(request, id: RowId):
    """Keep the comment off the site, as spam."""
    return moderate(request, id, Comment.Status.SPAM)
