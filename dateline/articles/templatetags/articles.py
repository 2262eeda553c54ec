import datetime as dt
import json

from django import template
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from dateline.pagecache.hints import shared_part

from ..datelines import format_dateline, localize_digits
from ..embeds import placeholders
from ..links import absolute_url

register = template.Library()


@register.filter
def dateline(moment):
    """`{{ story.published_at|dateline }}` → 0350 GMT November 24, 2021"""
    return format_dateline(moment) if moment else ""


@register.filter
def story_body(body):
    """`{{ story.body|story_body }}`: the stored (clean) body, embeds as click-to-load placeholders."""
    return mark_safe(placeholders(body))  # the body passed articles.html.clean_html before it was stored


@register.filter
def news_language(code):
    """The language as Google News's sitemap schema takes it: ISO 639 ("en", not "en-US"), but zh-cn and zh-tw."""
    code = (code or "").lower().replace("_", "-")
    return code if code in {"zh-cn", "zh-tw"} else code.partition("-")[0]


@register.filter
def digits(value):
    """`{{ story.news_id|digits }}` → 318214, or ۳۱۸۲۱۴ in the Persian edition."""
    return localize_digits(str(value))


@register.simple_tag(takes_context=True)
def absolute(context, path):
    """`{% absolute story.get_absolute_url %}` → https://news.example.org/news/318214/…"""
    return absolute_url(path, context.get("request"))


@register.filter
def isotime(moment):
    """`<time datetime="{{ moment|isotime }}">`: UTC to the second, as HTML and feeds expect."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else ""


@register.filter
def type_label(story):
    """`{{ story|type_label }}` → "Analysis", "Opinion", "Live updates"…; nothing for plain news."""
    return "" if story.story_type == story.Type.NEWS else story.get_story_type_display()


JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def jsonld(data):
    """`{{ data|jsonld }}`: a JSON-LD block, escaped so no text inside can close the element."""
    text = json.dumps(data, ensure_ascii=False, indent=None).translate(JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.tag
def shared(parser, token):
    """`{% shared "header" current_section.pk %}…{% endshared %}`: a part that many pages show alike, rendered once
    for all the pages the page cache keeps (see pagecache.hints.shared_part). The part is named by its name, the values
    that vary it and the language."""
    names = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endshared",))
    parser.delete_first_token()
    return SharedNode(names, nodelist)


class SharedNode(template.Node):
    def __init__(self, names, nodelist):
        self.names, self.nodelist = names, nodelist

    def render(self, context):
        request = context.get("request")
        if request is None:  # a template rendered outside a request: nothing to share with
            return self.nodelist.render(context)
        name = ":".join([*(str(name.resolve(context)) for name in self.names), translation.get_language() or ""])
        return shared_part(request, name, lambda: self.nodelist.render(context))
