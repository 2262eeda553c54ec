"""Cursor pagination: a page ends where the next begins, so inserts never shift or repeat what a client walks."""

import operator
from datetime import datetime
from functools import reduce

from django.core import signing
from django.db.models import Q
from ninja.errors import HttpError


def keyset_page(queryset, order, cursor, limit, *, name):
    """One page of `queryset` in `order` (field names, "-" for descending; the last must be unique), after `cursor`.

    Returns (items, next cursor or None). Cursors are signed, so a client cannot forge one; `name` keeps one
    listing's cursor from being used on another.
    """
    queryset = queryset.order_by(*order)
    if cursor:
        queryset = queryset.filter(after(order, read_cursor(cursor, name, len(order))))
    items = list(queryset[: limit + 1])
    if len(items) <= limit:
        return items, None
    items = items[:limit]
    last = [getattr(items[-1], field.lstrip("-")) for field in order]
    return items, make_cursor(last, name)


def after(order, values):
    """The rows that come after `values`: (a beyond va) or (a = va and b beyond vb) or …"""
    alternatives, equal = [], Q()
    for field, value in zip(order, values, strict=True):
        name, beyond = field.lstrip("-"), "lt" if field.startswith("-") else "gt"
        alternatives.append(equal & Q(**{f"{name}__{beyond}": value}))
        equal &= Q(**{name: value})
    return reduce(operator.or_, alternatives)


def make_cursor(values, name):
    plain = [value.isoformat() if isinstance(value, datetime) else value for value in values]
    return signing.dumps(plain, salt=f"dateline.api.cursor.{name}", compress=True)


def read_cursor(cursor, name, length):
    try:
        values = signing.loads(cursor, salt=f"dateline.api.cursor.{name}")
    except signing.BadSignature:
        values = None
    if not isinstance(values, list) or len(values) != length:
        raise HttpError(400, "This cursor is not valid here; start again without one.")
    return values
