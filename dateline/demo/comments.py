"""Approved reader comments for the demo's reference story."""

from dateline.articles.models import Story
from dateline.comments.models import Comment

DEMO_COMMENTS = [
    ("Sam", "A clear summary, thank you.\nWill there be a follow-up when the 15 days are up?"),
    ("Layla", "Good to see the timetable spelled out."),
]


def load(news_id):
    story = Story.objects.get(news_id=news_id)
    if story.comments.exists():
        return 0
    Comment.objects.bulk_create(
        Comment(story=story, name=name, body=body, status=Comment.Status.APPROVED) for name, body in DEMO_COMMENTS
    )
    return len(DEMO_COMMENTS)
