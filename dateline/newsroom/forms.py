"""The story form of the editors' admin: a rich-text body, the version the edit began from, and the status rules."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_prose_editor.widgets import AdminProseEditorWidget

from dateline.accounts.models import Author
from dateline.articles import workflow
from dateline.articles.models import Story, Tag, text_direction
from dateline.articles.permissions import OWN_EDITABLE, can_publish
from dateline.images.forms import ImageUploadField
from dateline.images.models import Image

# What editors may format; articles.html.clean_html still decides what is stored (docs/writing.md).
BODY_EDITOR = {
    "types": [
        "Heading",
        "Bold",
        "Italic",
        "BulletList",
        "OrderedList",
        "Link",
        "Blockquote",
        "PullQuote",
        "Image",
        "Embed",
    ],
    "headingLevels": [2, 3, 4],
    "history": True,
    "html": False,
    "typographic": True,
}
CONFLICT = _(
    "This story was changed by someone else since you opened it (now version %(version)s). "
    "Your text is below; copy it, reload, and apply your changes again."
)
PUBLISHING = {Story.Status.PUBLISHED, Story.Status.UNPUBLISHED}


class BodyEditorWidget(AdminProseEditorWidget):
    """django-prose-editor, started by newsroom/body-editor.js instead of the package's presets.

    The presets need an import map, an inline script that the Content-Security-Policy refuses. `language` (a
    story's) gives the editor its `lang` and direction; without it the editor takes `dir` from its container, or
    "auto".
    """

    def __init__(self, attrs=None, language=None):
        super().__init__(attrs, config=BODY_EDITOR, preset="newsroom")
        if language:
            self.set_language(language)

    def set_language(self, language):
        self.attrs.update(lang=language, dir=text_direction(language))

    def get_config(self):
        return super().get_config() | {
            "uploadUrl": reverse("newsroom:image-upload"),
            "embedUrl": reverse("newsroom:embed-resolve"),
        }

    @property
    def media(self):
        return forms.Media(
            css={
                "all": [
                    "django_prose_editor/material-icons.css",
                    "django_prose_editor/editor.css",
                    "django_prose_editor/overrides.css",
                    "newsroom/body-editor.css",
                ]
            },
            js=[forms.Script("newsroom/body-editor.js", type="module")],  # imports body-nodes.js, body-paste.js
        )


class StoryAdminForm(forms.ModelForm):
    """A story as editors edit it; `user` is set by StoryAdmin.get_form."""

    based_on = forms.IntegerField(label=_("version"), widget=forms.HiddenInput, required=False)
    user = None

    class Meta:
        model = Story
        fields = [
            *["headline", "slug", "summary", "body"],
            *["section", "tags", "authors", "reporting_credit", "story_type", "location", "language", "translation_of"],
            *["lead_image", "lead_image_caption", "lead_image_credit", "status", "published_at"],
        ]
        widgets = {"body": BodyEditorWidget}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stored_status = self.instance.status if self.instance.pk else None
        if self.instance.pk:
            self.fields["based_on"].initial = self.instance.version
            self.fields["based_on"].required = True
            self.fields["body"].widget.set_language(self.instance.language)
        if "status" in self.fields and not can_publish(self.user):
            self.fields["status"].widget.choices = [(s.value, s.label) for s in Story.Status if s in OWN_EDITABLE]

    def clean_status(self):
        """Only publishers publish or unpublish; a published story is unpublished before it goes back to draft."""
        status = self.cleaned_data["status"]
        if status != self.stored_status and status in PUBLISHING and not can_publish(self.user):
            raise ValidationError(
                _("Only an editor may publish or unpublish a story; set it to “In review” instead."), code="publish"
            )
        if self.stored_status == Story.Status.PUBLISHED and status in OWN_EDITABLE:
            raise ValidationError(_("Unpublish the story before sending it back to draft or review."), code="status")
        return status

    def clean(self):
        """Refuse the edit when the story was saved by someone else since this form was loaded."""
        cleaned_data = super().clean()
        based_on = cleaned_data.get("based_on")
        if self.instance.pk and based_on is not None:
            # Locks the row until the admin's transaction ends, so no save can slip in before ours.
            current = Story.objects.select_for_update().values_list("version", flat=True).get(pk=self.instance.pk)
            if current != based_on:
                raise ValidationError(CONFLICT, code="conflict", params={"version": current})
        self.check_ready(cleaned_data)
        return cleaned_data

    def check_ready(self, cleaned_data):
        """A publish the workflow would refuse (an image without alt text…) is the form's error, not a crash."""
        publishing = cleaned_data.get("status") == Story.Status.PUBLISHED
        if publishing and (self.stored_status != Story.Status.PUBLISHED or "published_at" in self.changed_data):
            candidate = Story(body=cleaned_data.get("body") or "", lead_image=cleaned_data.get("lead_image"))
            try:
                workflow.check_ready(candidate)
            except ValidationError as error:
                self.add_error(None, error)

    def status_action(self):
        """'publish', 'unpublish' or None: what the chosen status and time ask of the workflow."""
        status = self.instance.status
        if status == Story.Status.PUBLISHED and (self.stored_status != status or "published_at" in self.changed_data):
            return "publish"
        if status == Story.Status.UNPUBLISHED and self.stored_status != status:
            return "unpublish"
        return None

    def save_for(self, user):
        """Save the story through the workflow, so the role rules apply and one revision records the result."""
        story, data = self.instance, self.cleaned_data
        options = {name: data[name] for name in ("tags", "authors") if name in data}
        options["based_on"] = data.get("based_on")
        action = self.status_action()
        if action is None:
            return workflow.save_story(story, user, **options)
        if action == "publish":
            return workflow.publish(story, user, at=data.get("published_at"), **options)
        return workflow.unpublish(story, user, **options)


class NamesField(forms.CharField):
    """Tags or bylines as the writer types them, comma-separated, with suggestions as they type (`suggest`)."""

    def __init__(self, *, suggest, **kwargs):
        super().__init__(required=False, **kwargs)
        self.widget.attrs.update({"autocomplete": "off", "data-suggest": suggest, "list": f"{suggest}-suggestions"})

    def prepare_value(self, value):
        if isinstance(value, str):
            return value
        return ", ".join(getattr(item, "name", str(item)) for item in value or [])

    def to_python(self, value):
        return [name.strip() for name in super().to_python(value).split(",") if name.strip()]


class DeskStoryForm(StoryAdminForm):
    """The writing screen's story: the text first, the rest in the side panel; the buttons set the status."""

    tags = NamesField(label=_("Tags"), suggest="tags", help_text=_("Separate tags with commas; new ones are made."))
    authors = NamesField(label=_("Bylines"), suggest="authors", help_text=_("Separate names with commas."))
    new_lead_image = ImageUploadField(label=_("Or upload a lead image"), required=False)
    new_lead_image_alt = forms.CharField(
        label=_("Its alternative text"), required=False, max_length=300, help_text=_("What the picture shows.")
    )

    class Meta(StoryAdminForm.Meta):
        fields = [
            *["headline", "summary", "body", "section", "story_type", "location", "language"],
            *["lead_image", "lead_image_caption", "lead_image_credit", "seo_title", "seo_description", "published_at"],
        ]
        labels = {"summary": _("Standfirst")}
        widgets = {
            "body": BodyEditorWidget,
            "headline": forms.Textarea(attrs={"rows": 2, "class": "headline-field"}),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "published_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_image"].widget.choices = recent_images(self.instance.lead_image_id)
        if self.instance.pk:
            self.fields["tags"].initial = list(self.instance.tags.all())
            self.fields["authors"].initial = list(self.instance.authors.all())
        self.fields["published_at"].label = _("Publication time")
        for name in ("headline", "summary"):
            self.fields[name].widget.attrs["dir"] = "auto"
        self.fields["body"].widget.attrs.setdefault("dir", "auto")  # a new story's: its text decides
        self.fields["body"].help_text = ""  # the model's note on HTML is for developers, not writers
        if not can_publish(self.user):
            del self.fields["published_at"]  # the time is an editor's to set

    def clean_authors(self):
        """Bylines that exist (a misspelt name is refused, not made into a stranger's byline)."""
        names = self.cleaned_data["authors"]
        found = {author.name: author for author in Author.objects.filter(name__in=names)}
        if unknown := [name for name in names if name not in found]:
            raise ValidationError(_("No byline is called %(names)s."), params={"names": ", ".join(unknown)})
        return [found[name] for name in names]  # none for a new story: the workflow gives it its writer's

    def save_for(self, user):
        self.cleaned_data["tags"] = Tag.objects.for_names(self.cleaned_data.get("tags", []))
        if upload := self.cleaned_data.get("new_lead_image"):
            alt_text = self.cleaned_data.get("new_lead_image_alt", "")
            self.instance.lead_image = Image.objects.create(file=upload, alt_text=alt_text, uploaded_by=user)
        return super().save_for(user)


def recent_images(current_id, count=30):
    """The lead-image choices: none, the current image and the latest uploads (all images are valid)."""
    images = list(Image.objects.order_by("-created_at")[:count])
    if current_id and current_id not in {image.pk for image in images}:
        images = [*Image.objects.filter(pk=current_id), *images]
    return [("", "---------"), *((image.pk, str(image)) for image in images)]


def autosave_refusal(form):
    """The answer to an autosave whose form was refused: 409 with the stored version on a conflict, else 400."""
    if form.has_error(NON_FIELD_ERRORS, "conflict"):
        stored = Story.objects.values_list("version", flat=True).get(pk=form.instance.pk)
        return JsonResponse({"error": form.non_field_errors()[0], "version": stored}, status=409)
    return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
