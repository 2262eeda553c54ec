"""Which pages a change touches: dependency keys (surrogate keys), the machinery. The keys themselves and what
changes them belong to the apps that own the models, each in its `cachekeys.py`, connected by its `ready()`.

While a page renders for the cache, every watched object it loads adds its key (`story:12`, `section:3`, …; see
`watch()`), and the page adds what else it shows through the hints (dateline/pagecache/hints.py). Every page
depends on the navigation and on the lists of stories it shows. Saving or deleting an object changes its key, and
the app's receivers say what else it changes (`changed()`). Changes are noted once the transaction commits, so a
page rendered from the old rows is never stored as current.
"""

from contextvars import ContextVar

from django.db import transaction
from django.db.models.signals import post_delete, post_init, post_save

from . import invalidate
from .hints import EVERY_LIST, NAVIGATION

EVERY_PART = (NAVIGATION,)  # on every page, and in the parts pages share (middleware.SharedParts)
EVERY_PAGE = (EVERY_LIST, *EVERY_PART)
recording = ContextVar("dateline_pagecache_recording", default=None)


def record(*keys):
    """Note that the page being rendered for the cache depends on `keys` (nothing when none is)."""
    keys_seen = recording.get()
    if keys_seen is not None:
        keys_seen.update(keys)


def changed(*keys):
    """After the commit, every page depending on one of `keys` is out of date."""
    transaction.on_commit(lambda: invalidate(keys))


def watch(model, key, saved=None):
    """A page rendered while an instance of `model` is loaded depends on `key(instance.pk)`. Saving or deleting
    one changes that key; or, when given, the receiver `saved` says what it changes."""

    def loaded(sender, instance, **kwargs):
        if instance.pk is not None:
            record(key(instance.pk))

    def own_key_changed(sender, instance, **kwargs):
        changed(key(instance.pk))

    post_init.connect(loaded, sender=model, weak=False, dispatch_uid=f"pagecache-loaded-{model._meta.label}")
    on_change(model, saved or own_key_changed)


def on_change(model, receiver):
    """Call `receiver` after each save and each delete of a `model` (it tells `changed()` what they change)."""
    for signal, done in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(receiver, sender=model, weak=False, dispatch_uid=f"pagecache-{done}-{model._meta.label}")
