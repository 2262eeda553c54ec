from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _


class AuthorManager(models.Manager):
    def for_user(self, user):
        """The user's byline, made from their full name (or username) when they have none yet."""
        author = self.filter(user=user).first()
        return author or self.create(user=user, name=user.get_full_name() or user.get_username())


class Author(models.Model):
    """A byline. Reporters have a user account; wire and guest bylines need not."""

    name = models.CharField(_("name"), max_length=120)
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
            self.slug = self.free_slug()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})

    def free_slug(self):
        """A slug from the name that no other author has: amira-haddad, amira-haddad-2, …"""
        base = slugify(self.name, allow_unicode=True)[:130].strip("-") or "author"
        slug, number = base, 1
        while Author.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            number += 1
            slug = f"{base}-{number}"
        return slug


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
