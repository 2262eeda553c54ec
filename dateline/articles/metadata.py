"""What a story page tells machines: schema.org NewsArticle JSON-LD and Open Graph / Twitter card tags.

Both are built from the same values the page shows (headline, summary, times, bylines, lead image).
"""

from django.conf import settings
from django.templatetags.static import static

from .links import absolute_url


def lead_image(story, request):
    """(absolute URL, width, height) of the story's lead image at its widest, or None."""
    if not story.lead_image:
        return None
    best = story.lead_image.best()
    return absolute_url(best.url, request), best.width, best.height


def news_article(story, request, modified_at, corrections=()):
    """schema.org NewsArticle for Google and other readers of structured data; its corrections as CorrectionComment."""
    url = absolute_url(story.get_absolute_url(), request)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": story.headline,
        "description": story.summary,
        "datePublished": (story.published_at or story.updated_at).isoformat(),  # a draft in preview: not yet
        "dateModified": (modified_at or story.published_at or story.updated_at).isoformat(),
        "inLanguage": story.language,
        "author": [
            {"@type": "Person", "name": author.name, "url": absolute_url(author.get_absolute_url(), request)}
            for author in story.authors.all()
        ]
        or [{"@type": "Organization", "name": settings.SITE_NAME}],
        "publisher": {
            "@type": "Organization",
            "name": settings.SITE_NAME,
            "logo": {"@type": "ImageObject", "url": absolute_url(static("dateline/logo.png"), request)},
        },
        "identifier": str(story.news_id),
    }
    if story.section:
        data["articleSection"] = story.section.name
    if image := lead_image(story, request):
        data["image"] = [{"@type": "ImageObject", "url": image[0], "width": image[1], "height": image[2]}]
    if corrections:
        data["correction"] = [correction_comment(note, url) for note in corrections]
    return data


def correction_comment(note, story_url):
    return {
        "@type": "CorrectionComment",
        "url": f"{story_url}#correction-{note.pk}",
        "datePublished": note.created_at.isoformat(),
        "text": f"{note.get_kind_display()}: {note.text}",
    }
