from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
