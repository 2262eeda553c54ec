"""What the comments app announces."""

from django.dispatch import Signal

# sender=Comment; comment. A comment became visible under its story: a moderator approved it (moderation.moderate),
# or it arrived approved with moderation off. Not sent for comments an import brings in.
comment_approved = Signal()
