from typing import NamedTuple

from django.conf import settings
from django.db import models, transaction
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .processing import RENDITION_WIDTHS, prepare_upload

FALLBACK_WIDTH = 1024  # the `src` for browsers that ignore `srcset`: wide enough for a story column


class Candidate(NamedTuple):
    """One stored size of an image, as `srcset` lists it."""

    url: str
    width: int
    height: int


class Image(models.Model):
    """An uploaded picture, stored once and reused; renditions in several widths are made from it."""

    file = models.ImageField(_("file"), upload_to="images/%Y/%m/", width_field="width", height_field="height")
    width = models.PositiveIntegerField(_("width"), default=0, editable=False)
    height = models.PositiveIntegerField(_("height"), default=0, editable=False)
    alt_text = models.CharField(
        _("alternative text"),
        max_length=300,
        blank=True,
        help_text=_("What the image shows, for readers who cannot see it."),
    )
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    credit = models.CharField(_("credit"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self):
        return self.alt_text or self.caption or self.file.name

    def save(self, *args, **kwargs):
        """A newly assigned file is validated (ValidationError if refused, nothing stored), cleaned and resized."""
        if not self.file or self.file._committed:  # `_committed`: Django's mark of a file already in storage
            return super().save(*args, **kwargs)
        prepared = prepare_upload(self.file)
        replaced = Image.objects.filter(pk=self.pk).values_list("file", flat=True).first() if self.pk else None
        with transaction.atomic():
            self.file, self.width, self.height = prepared.original, prepared.width, prepared.height
            super().save(*args, **kwargs)
            self.renditions.all().delete()
            for width, height, file in prepared.renditions:
                Rendition.objects.create(image=self, width=width, height=height, file=file)
        if replaced:
            transaction.on_commit(lambda: self.file.storage.delete(replaced))
        self.__dict__.pop("candidates", None)

    @property
    def has_alt_text(self):
        """Whether readers who cannot see the image are told what it shows (required to publish it)."""
        return bool(self.alt_text.strip())

    @cached_property
    def candidates(self):
        """Every size to offer in `srcset`, narrowest first: the renditions, and the original unless a
        rendition already covers the widest size offered (a huge original is never sent to readers)."""
        sizes = [Candidate(r.file.url, r.width, r.height) for r in self.renditions.all()]
        if not sizes or self.width <= max(RENDITION_WIDTHS):
            sizes.append(Candidate(self.file.url, self.width, self.height))
        return sizes

    def srcset(self):
        """`url 320w, url 640w, …`"""
        return ", ".join(f"{c.url} {c.width}w" for c in self.candidates)

    def src_url(self):
        """The URL for `src`: the widest size up to FALLBACK_WIDTH, else the narrowest."""
        fitting = [c for c in self.candidates if c.width <= FALLBACK_WIDTH]
        return (fitting[-1] if fitting else self.candidates[0]).url

    def best(self):
        """The widest size offered, for sharing (Open Graph `og:image` with its width and height)."""
        return self.candidates[-1]

    def best_url(self):
        return self.best().url

    def thumbnail(self):
        """The narrowest size offered, for lists in the admin."""
        return self.candidates[0]


class Rendition(models.Model):
    """A resized copy of an image, for `srcset`."""

    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="renditions")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    file = models.ImageField(upload_to="images/renditions/%Y/%m/")

    class Meta:
        ordering = ["width"]
        constraints = [models.UniqueConstraint(fields=["image", "width"], name="one_rendition_per_width")]

    def __str__(self):
        return f"{self.image_id} @ {self.width}w"
