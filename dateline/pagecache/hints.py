"""What pages tell the page cache in front of Django, through the request's environ: which lists of stories a page
shows, so that a story joining or leaving a list refreshes exactly the pages that show that list; which parts it
shares with other pages (shared_part); which story a read of it counts for. Apps import this module; the page
cache imports none of them.

A page rendered for the cache depends on `stories` unless it says otherwise: any story appearing, leaving or moving
anywhere makes it stale (the front page, feeds and sitemaps list everything). A page that shows only some lists
names them instead through `lists()`: a section page its sections' lists, a tag or author page theirs, a story
page the lists its related box draws from and its translations. The app that owns the stories changes these keys
when a story joins or leaves such a list (dateline/articles/cachekeys.py, which also builds them).
"""

from django.utils.safestring import mark_safe

# Set by the page cache in the environ of a request it will store the answer to:
SHARED = "dateline.shared"  # the page will be sent to other readers too
DEPENDS = "dateline.depends"  # the keys the page depends on
PARTS = "dateline.parts"  # where parts shared by many pages are kept (middleware.SharedParts)
# Set by the view: the story a read of the page counts for (the cache counts it when it sends the page)
READ = "dateline.read"
EVERY_LIST = "stories"
NAVIGATION = "sections"  # the header's sections: on every page, and in every part pages share


def lists(request, *keys):
    """The page being rendered shows only these lists of stories: it depends on `keys` instead of every list."""
    depends = request.META.get(DEPENDS)
    if depends is not None:
        depends.discard(EVERY_LIST)
        depends.update(keys)


def shared_part(request, name, render):
    """HTML that many pages show alike, such as an edition's most-read box: rendered once for all the pages the
    page cache stores while it stays current (the pages then depend on what it shows); rendered here otherwise."""
    parts = request.META.get(PARTS)
    return mark_safe(parts(name, render) if parts else render())


def read_when_sent(request, story):
    """A page rendered for the cache counts a read of `story` each time it is sent, this first time included
    (the page cache's `count_read`, which wsgi.py gives it). True then; False when Django sends the page and
    counts."""
    if not request.META.get(SHARED):
        return False
    request.META[READ] = story.pk
    return True
