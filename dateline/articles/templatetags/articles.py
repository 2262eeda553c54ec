from django import template

from ..datelines import format_dateline

register = template.Library()


@register.filter
def dateline(moment):
    """`{{ story.published_at|dateline }}` → 0350 GMT November 24, 2021"""
    return format_dateline(moment) if moment else ""
