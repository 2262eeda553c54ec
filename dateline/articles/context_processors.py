from .models import Section


def navigation(request):
    """The top-level sections for the site header (evaluated only when a template uses them)."""
    return {"nav_sections": Section.objects.filter(parent=None)}
