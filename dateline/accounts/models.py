from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .slugs import SlugManager

NAME_MAX = 120


class AuthorManager(SlugManager):
    def for_user(self, user):
        """The user's byline, made from their full name (or username) when they have none yet."""
        author = self.filter(user=user).first()
        return author or self.create(user=user, name=user.get_full_name() or user.get_username())

    def for_name(self, name):
        """The byline with exactly this name (cut to fit), made without an account when there is none."""
        name = name[:NAME_MAX]
        return self.filter(name=name).first() or self.create(name=name)


class Author(models.Model):
    """A byline. Reporters have a user account; wire and guest bylines need not."""

    name = models.CharField(_("name"), max_length=NAME_MAX)
    slug = models.SlugField(_("slug"), max_length=140, unique=True, allow_unicode=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author",
    )
    role = models.CharField(_("role"), max_length=120, blank=True, help_text=_("For example: Senior Correspondent"))
    bio = models.TextField(_("biography"), blank=True)
    photo = models.ForeignKey(
        "images.Image", verbose_name=_("photo"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField(_("demo content"), default=False, editable=False)

    objects = AuthorManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = Author.objects.free_slug(self.name, exclude_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})


class AuthorLink(models.Model):
    """A link on an author's profile: their site, a social account, a way to send tips."""

    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(_("label"), max_length=60, help_text=_("For example: Mastodon, Website, Signal"))
    url = models.URLField(_("address"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("link")
        verbose_name_plural = _("links")

    def __str__(self):
        return f"{self.label}: {self.url}"
