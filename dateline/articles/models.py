from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models, router, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from dateline.accounts.slugs import SlugManager

from .editions import edition_of, in_edition, reading
from .html import clean_html

RTL_LANGUAGES = {"ar", "fa", "he", "ur", "ps", "ckb", "yi", "dv"}


def text_direction(language):
    """'rtl' or 'ltr' for a BCP 47 language code."""
    return "rtl" if language.split("-")[0].lower() in RTL_LANGUAGES else "ltr"


def default_language():
    return settings.LANGUAGE_CODE


class SectionManager(SlugManager):
    def for_slug(self, slug, name, parent=None):
        """The section with this slug (else one from the name), made under `parent` when there is none. An existing
        one is left as it is."""
        slug = slugify(slug or name, allow_unicode=True)[:120] or self.free_slug(name)
        section = self.filter(slug=slug).first()
        return section or self.create(slug=slug, name=name[:100] or slug, parent=parent)


class TagManager(SlugManager):
    def for_name(self, name, slug=""):
        """The tag with this name (any case) or slug, made when there is none."""
        name = name[:100]
        slug = slugify(slug or name, allow_unicode=True)[:120]
        tag = self.filter(name__iexact=name).first() or (slug and self.filter(slug=slug).first())
        return tag or self.create(name=name, slug=self.free_slug(slug or name))

    def for_names(self, names):
        """Tags for these names, each once, in order; empty names are ignored."""
        tags = []
        for name in names:
            if name.strip() and (tag := self.for_name(name)) not in tags:
                tags.append(tag)
        return tags


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
    language = models.CharField(
        _("edition"),
        max_length=35,
        default=default_language,
        help_text=_("The language of the edition whose navigation lists this section, e.g. “fa”."),
    )

    objects = SectionManager()

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
        """The section's front, in its edition."""
        with reading(edition_of(self.language)):
            return reverse("articles:section", kwargs={"slug": self.slug})


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)

    objects = TagManager()

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
        """Note a number given from outside (an import), so the sequence never hands it out again. True when it is
        above every number given so far: then no story has it yet.

        Written in SQL, as it runs for every imported story and building ORM queries cost more than running them:
        one UPDATE when the number is new, a SELECT more when it is not (a story imported again)."""
        table = cls._meta.db_table
        with connections[router.db_for_write(cls)].cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET last = %s WHERE id = 1 AND last < %s", [number, number])
            if cursor.rowcount:
                return True
            cursor.execute(f"SELECT 1 FROM {table} WHERE id = 1")
            if cursor.fetchone():
                return False
        cls.objects.get_or_create(pk=1, defaults={"last": number})  # the very first time
        cls.objects.filter(pk=1, last__lt=number).update(last=number)
        return True


# Links most stories lack: their indexes leave out the stories without one (a lookup of a link is still served), so
# saving such a story writes no entry in them (an import's SQL measured 12% faster with these and no section index).
OPTIONAL_LINKS = ("lead_image", "created_by", "translation_of")


class StoryQuerySet(models.QuerySet):
    def published(self):
        """What the public may see: published, and its publication time has come."""
        return self.filter(status=Story.Status.PUBLISHED, published_at__lte=timezone.now())

    def scheduled(self):
        """Published with a publication time still to come: the public sees them when it comes."""
        return self.filter(status=Story.Status.PUBLISHED, published_at__gt=timezone.now())

    def latest_first(self, drawn_from_relation=False):
        """Newest first, the News ID breaking ties. For stories drawn from a relation (a tag's, an author's), the
        tie-breaker is an expression: the database then starts from the relation's rows and sorts those few,
        rather than walking the whole newest-first index (story_listing) in search of them."""
        return self.order_by("-published_at", (F("news_id") + 0).desc() if drawn_from_relation else "-news_id")

    def in_edition(self, edition):
        """The stories of one edition (see articles.editions)."""
        return self.filter(in_edition(edition))


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
        Section,
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stories",
        db_index=False,  # story_section_listing starts with it
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="stories")
    authors = models.ManyToManyField("accounts.Author", verbose_name=_("authors"), blank=True, related_name="stories")
    reporting_credit = models.CharField(
        _("with reporting by"), max_length=200, blank=True, help_text=_("Shown after the byline, e.g. “Reuters”.")
    )
    story_type = models.CharField(_("story type"), max_length=20, choices=Type.choices, default=Type.NEWS)
    location = models.CharField(_("dateline place"), max_length=100, blank=True, help_text=_("e.g. BAGHDAD"))
    lead_image = models.ForeignKey(
        "images.Image",
        verbose_name=_("lead image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # see OPTIONAL_LINKS
    )
    seo_title = models.CharField(
        _("search title"),
        max_length=70,
        blank=True,
        help_text=_("For search engines and shares; the headline if empty."),
    )
    seo_description = models.CharField(
        _("search description"), max_length=200, blank=True, help_text=_("For search engines; the summary if empty.")
    )
    lead_image_caption = models.CharField(_("lead image caption"), max_length=300, blank=True)
    lead_image_credit = models.CharField(_("lead image credit"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        _("published at"), null=True, blank=True, db_index=True, help_text=_("In the future: scheduled.")
    )
    revised_at = models.DateTimeField(
        _("revised after publication"),
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
        db_index=False,  # see OPTIONAL_LINKS
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    is_demo = models.BooleanField(_("demo content"), default=False, editable=False)
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
        db_index=False,  # see OPTIONAL_LINKS
        help_text=_("The original story this one translates; the two pages then link to each other."),
    )

    objects = StoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        indexes = [
            # Lists newest first, in latest_first's order to the last column (so a deep page skips its predecessors
            # in the index, without sorting): the front page and a group of sections (whose language and section
            # are checked from the index), one section.
            models.Index(fields=["status", "-published_at", "-news_id", "language", "section"], name="story_listing"),
            models.Index(fields=["section", "status", "-published_at", "-news_id"], name="story_section_listing"),
            # The newsroom's story list, all of it and by status (drafts and stories in review are few among many).
            models.Index(fields=["-updated_at"], name="story_last_saved"),
            models.Index(fields=["status", "-updated_at"], name="story_status_saved"),
            # Whether a story is public, in which edition and when, read without its row (bodies make rows long):
            # ranking candidates by id (related stories, most read) reads only this.
            models.Index(fields=["id", "status", "published_at", "language", "news_id"], name="story_visibility"),
            *(
                models.Index(fields=[link], condition=models.Q(**{f"{link}__isnull": False}), name=f"story_{link}")
                for link in OPTIONAL_LINKS
            ),
        ]
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
        self.prepare_to_save()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """The story's page, in the edition of its language."""
        with reading(self.edition):
            return reverse("articles:detail", kwargs={"news_id": self.news_id, "slug": self.slug})

    def prepare_to_save(self):
        """What every save makes of the fields: a slug when there is none, the body through the sanitizer, the next
        version. Apart from save(), only dateline.transfer.bulk calls it, for the new stories it writes itself."""
        if not self.slug:
            self.slug = slugify(self.headline, allow_unicode=True)[:255].strip("-") or "story"
        self.body = clean_html(self.body)
        self.version += 1

    def clean(self):
        """A translation points at an original in another edition, which is not itself a translation."""
        original = self.translation_of
        if original is None:
            return
        if original.pk == self.pk or original.translation_of_id:
            raise ValidationError({"translation_of": _("Choose the original story, not a translation of it.")})
        if original.edition == self.edition:
            raise ValidationError({"translation_of": _("A translation is in another language than its original.")})

    @property
    def is_scheduled(self):
        """One of scheduled(): published, its publication time still to come."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def is_live(self):
        """One of published(): published, and its publication time has come, so the public sees it."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def direction(self):
        return text_direction(self.language)

    @property
    def edition(self):
        return edition_of(self.language)

    def linked_translations(self):
        """The published stories linked to this one as translations (its original, the original's other
        translations, its own), in edition order."""
        original = self.translation_of_id or self.pk
        translations = Story.objects.filter(translation_of=original).values("pk")
        linked = Story.objects.published().filter(models.Q(pk=original) | models.Q(pk__in=translations))
        stories = [story for story in linked.exclude(pk=self.pk) if story.edition != self.edition]
        order = {code: i for i, code in enumerate(settings.EDITIONS)}
        return sorted(stories, key=lambda story: order.get(story.edition, len(order)))

    @property
    def language_name(self):
        try:
            return get_language_info(self.language)["name_local"]
        except KeyError:
            return self.language


class Correction(models.Model):
    """A note editors add to a published story, typed as newsrooms' standards type them: a correction of an error,
    a clarification, an update, a retraction, an editor's note. Shown on the story, in its JSON-LD, on /corrections
    and its feeds, and in the API."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        CLARIFICATION = "clarification", _("Clarification")
        UPDATE = "update", _("Update")
        RETRACTION = "retraction", _("Retraction")
        EDITORS_NOTE = "editors-note", _("Editor’s note")

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


class ImportedItem(models.Model):
    """Where an imported story, byline or comment came from, so importing the same source again updates it.

    `source` names the origin and the kind (a feed's id, `wordpress:<site>`, `wordpress-comment:<site>`, …), `key`
    the item's id there (an entry's id, a post id, a login). Stories and bylines are linked; a comment is linked by
    its story only (the comments app sits above this one), which is enough to import it once.
    """

    source = models.CharField(_("source"), max_length=500)
    key = models.CharField(_("key"), max_length=500)
    story = models.ForeignKey(
        Story, verbose_name=_("story"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    author = models.ForeignKey(
        "accounts.Author", verbose_name=_("author"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    class Meta:
        verbose_name = _("imported item")
        verbose_name_plural = _("imported items")
        constraints = [models.UniqueConstraint(fields=["source", "key"], name="one_import_per_source_key")]

    def __str__(self):
        return f"{self.source} {self.key}"
