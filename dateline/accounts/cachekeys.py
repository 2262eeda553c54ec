"""What authors tell the page cache (dateline/pagecache): a page showing an author's byline or profile depends on
`author:<id>`, which saving the author or one of its links changes. (The list of an author's stories is the
articles' key, `list:author:<id>`.)"""

from dateline.pagecache.keys import changed, on_change, watch

from .models import Author, AuthorLink


def author_key(author_id):
    return f"author:{author_id}"


def author_link_saved(sender, instance, **kwargs):
    changed(author_key(instance.author_id))


def connect():
    """Listen to the models whose changes show on public pages (AccountsConfig.ready)."""
    watch(Author, author_key)
    on_change(AuthorLink, author_link_saved)
