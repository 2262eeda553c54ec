"""The editor's "Embed" button: a shared URL turned into the embed element the body stores (articles.embeds)."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from dateline.articles.embeds import EmbedError, resolve


@require_safe
def resolve_embed(request):
    """{provider, label, url, src, title, html} for ?url=…; 400 with the reason when it cannot be embedded."""
    user = request.user
    if not (user.is_active and user.is_staff):
        return JsonResponse({"error": _("Log in to the newsroom to embed content.")}, status=403)
    try:
        embed = resolve(request.GET.get("url", ""))
    except EmbedError as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse(embed.as_dict() | {"html": embed.to_html()})
