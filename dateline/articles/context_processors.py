"""What every page's templates may read: the site's name, the links between editions, the header's sections."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .editions import current_edition, edition_links, editions, in_edition
from .models import Section


def site(request):
    return {"site_name": settings.SITE_NAME}


def edition_switcher(request):
    """`editions`, the links to every edition when the site has more than one (computed only when a template reads
    them)."""
    return {"editions": SimpleLazyObject(lambda: edition_links() if len(editions()) > 1 else [])}


def navigation(request):
    """The edition's top-level sections for the site header (evaluated only when a template uses them)."""
    return {"nav_sections": Section.objects.filter(in_edition(current_edition()), parent=None)}
