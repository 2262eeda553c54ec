"""The one slug allocator: a slug from a name that no row has yet (ports, ports-2, …), for authors, tags, sections."""

from django.db import models
from django.utils.text import slugify

SUFFIX_ROOM = 10  # characters kept free at the end of the column for "-2", "-3", …


class SlugManager(models.Manager):
    """A manager for a model with a unique `slug`: it can name a slug no row has yet."""

    def free_slug(self, name, exclude_pk=None):
        """A slug from the name that no row (but `exclude_pk`'s) has: amira-haddad, amira-haddad-2, …"""
        limit = self.model._meta.get_field("slug").max_length - SUFFIX_ROOM
        base = slugify(name, allow_unicode=True)[:limit].strip("-") or self.model._meta.model_name
        rows = self.exclude(pk=exclude_pk) if exclude_pk is not None else self.all()
        slug, number = base, 1
        while rows.filter(slug=slug).exists():
            number += 1
            slug = f"{base}-{number}"
        return slug
