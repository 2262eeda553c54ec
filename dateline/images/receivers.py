"""Stored files go when their rows go (also on bulk and cascading deletes, which skip Model.delete)."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import Image, Rendition


@receiver(post_delete, sender=Image)
@receiver(post_delete, sender=Rendition)
def delete_stored_file(sender, instance, **kwargs):
    """Once the deletion is committed, the file is removed from storage (a rolled-back delete keeps it)."""
    if instance.file:
        name, storage = instance.file.name, instance.file.storage
        transaction.on_commit(lambda: storage.delete(name))
