from django.conf import settings
from django.db import models, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from .html import clean_html

RTL_LANGUAGES = {"ar", "fa", "he", "ur", "ps", "ckb", "yi", "dv"}


def text_direction(language):
    """'rtl' or 'ltr' for a BCP 47 language code."""
    return "rtl" if language.split("-")[0].lower() in RTL_LANGUAGES else "ltr"


def default_language():
    return settings.LANGUAGE_CODE


class Section(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent section"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0, help_text=_("Order in the navigation."))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name, allow_unicode=True) or "section"
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:section", kwargs={"slug": self.slug})


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name, allow_unicode=True) or "tag"
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:tag", kwargs={"slug": self.slug})


class NewsNumber(models.Model):
    """The last News ID handed out. Numbers only go up, so a deleted story's number is never reused."""

    last = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return str(self.last)

    @classmethod
    def next(cls):
        with transaction.atomic():
            cls.objects.get_or_create(pk=1)
            cls.objects.filter(pk=1).update(last=F("last") + 1)
            return cls.objects.get(pk=1).last

    @classmethod
    def reserve(cls, number):
        """Note a number given from outside (an import), so the sequence never hands it out again."""
        cls.objects.get_or_create(pk=1)
        cls.objects.filter(pk=1, last__lt=number).update(last=number)


class StoryQuerySet(models.QuerySet):
    def published(self):
        """What the public may see: published, and its publication time has come."""
        return self.filter(status=Story.Status.PUBLISHED, published_at__lte=timezone.now())

    def latest_first(self):
        return self.order_by("-published_at", "-news_id")


class Story(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Unpublished")

    class Type(models.TextChoices):
        NEWS = "news", _("News")
        ANALYSIS = "analysis", _("Analysis")
        OPINION = "opinion", _("Opinion")
        INTERVIEW = "interview", _("Interview")
        LIVE = "live", _("Live updates")

    news_id = models.PositiveBigIntegerField(_("News ID"), unique=True, editable=False)
    headline = models.CharField(_("headline"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=255, allow_unicode=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body"), help_text=_("HTML; cleaned by an allow-list when saved."))
    language = models.CharField(_("language"), max_length=35, default=default_language)
    section = models.ForeignKey(
        Section, verbose_name=_("section"), null=True, blank=True, on_delete=models.SET_NULL, related_name="stories"
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="stories")
    authors = models.ManyToManyField("accounts.Author", verbose_name=_("authors"), blank=True, related_name="stories")
    reporting_credit = models.CharField(
        _("with reporting by"), max_length=200, blank=True, help_text=_("Shown after the byline, e.g. “Reuters”.")
    )
    story_type = models.CharField(_("story type"), max_length=20, choices=Type.choices, default=Type.NEWS)
    location = models.CharField(_("dateline place"), max_length=100, blank=True, help_text=_("e.g. BAGHDAD"))
    lead_image = models.ForeignKey(
        "images.Image", verbose_name=_("lead image"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lead_image_caption = models.CharField(_("lead image caption"), max_length=300, blank=True)
    lead_image_credit = models.CharField(_("lead image credit"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        _("published at"), null=True, blank=True, db_index=True, help_text=_("In the future: scheduled.")
    )
    revised_at = models.DateTimeField(
        _("updated at"),
        null=True,
        blank=True,
        help_text=_("Set when a published story is changed; shown as “Updated:”."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    is_demo = models.BooleanField(_("demo content"), default=False, editable=False)

    objects = StoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        indexes = [models.Index(fields=["status", "-published_at"], name="story_listing")]
        permissions = [
            ("publish_story", _("Can publish, schedule and unpublish stories")),
            ("edit_any_story", _("Can edit stories by anyone, in any status")),
        ]

    def __str__(self):
        return f"{self.news_id}: {self.headline}"

    def save(self, *args, **kwargs):
        if self.news_id is None:
            self.news_id = NewsNumber.next()
        else:
            NewsNumber.reserve(self.news_id)
        if not self.slug:
            self.slug = slugify(self.headline, allow_unicode=True)[:255].strip("-") or "story"
        self.body = clean_html(self.body)
        self.version += 1
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"news_id": self.news_id, "slug": self.slug})

    @property
    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def direction(self):
        return text_direction(self.language)

    @property
    def language_name(self):
        try:
            return get_language_info(self.language)["name_local"]
        except KeyError:
            return self.language


class Correction(models.Model):
    """A note editors add to a published story: a correction of an error, or an update."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        UPDATE = "update", _("Update")

    story = models.ForeignKey(Story, verbose_name=_("story"), on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("correction or update")
        verbose_name_plural = _("corrections and updates")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"


class LiveEntry(models.Model):
    """A timestamped entry of a live-updates story, shown newest first."""

    story = models.ForeignKey(Story, verbose_name=_("story"), on_delete=models.CASCADE, related_name="live_entries")
    body = models.TextField(_("entry"), help_text=_("HTML; cleaned by an allow-list when saved."))
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    is_pinned = models.BooleanField(_("pinned"), default=False)

    class Meta:
        ordering = ["-is_pinned", "-created_at"]
        verbose_name = _("live entry")
        verbose_name_plural = _("live entries")

    def __str__(self):
        return f"{self.story_id} @ {self.created_at:%H%M}"

    def save(self, *args, **kwargs):
        self.body = clean_html(self.body)
        super().save(*args, **kwargs)


class StoryViews(models.Model):
    """Reads of a story on one day, counted on the server (no cookie, no tracker) for "most read"."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["story", "day"], name="one_count_per_story_day")]
        indexes = [models.Index(fields=["day", "-count"], name="most_read")]

    def __str__(self):
        return f"{self.story_id} {self.day}: {self.count}"


class FrontPage(models.Model):
    """The lead story editors choose for an edition's front page."""

    language = models.CharField(_("edition language"), max_length=35, unique=True, default=default_language)
    lead = models.ForeignKey(
        Story, verbose_name=_("lead story"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("front page")
        verbose_name_plural = _("front pages")

    def __str__(self):
        return str(_("Front page (%(language)s)") % {"language": self.language})
