from .editions import current_edition, in_edition
from .models import Section


def navigation(request):
    """The edition's top-level sections for the site header (evaluated only when a template uses them)."""
    return {"nav_sections": Section.objects.filter(in_edition(current_edition()), parent=None)}
