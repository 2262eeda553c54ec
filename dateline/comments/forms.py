import re
import time

from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from .models import Comment

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # all but tab and line ends
ISSUED_SALT = "dateline.comments.issued"
BLANK_IMAGE = "data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw=="  # until the key is fetched


class SecurityKeyInput(CaptchaTextInput):
    """The captcha image with `refresh` (see static/dateline/site.js) and `listen` links, valid HTML5."""

    template_name = "comments/security_key.html"
    deferred = False  # on a page shared by readers: no key yet, one is fetched when the reader starts a comment

    def render(self, name, value, attrs=None, renderer=None):
        if not self.deferred:
            return super().render(name, value, attrs, renderer)
        self._key, self._value = None, ["", ""]  # no CaptchaStore row for a page view
        return super(CaptchaTextInput, self).render(name, self._value, attrs=attrs, renderer=renderer)

    def image_url(self):
        return BLANK_IMAGE if self.deferred else super().image_url()

    def audio_url(self):
        return None if self.deferred else super().audio_url()

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        hidden, answer = (subwidget["attrs"] for subwidget in context["widget"]["subwidgets"])
        for attribute in ("required", "autocomplete", "aria-invalid", "aria-describedby"):
            hidden.pop(attribute, None)  # none is allowed on type=hidden
        if answer.get("aria-invalid") and attrs and attrs.get("id"):
            # Django names no message for a field made of several inputs; the answer points at the form's.
            answer["aria-describedby"] = f"{attrs['id']}_error"
        context["deferred"], context["has_audio"] = self.deferred, bool(settings.CAPTCHA_FLITE_PATH)
        context["image_width"], context["image_height"] = settings.CAPTCHA_IMAGE_SIZE  # no layout shift
        return context


class PlainTextField(forms.CharField):
    """Reader text: control characters (NUL included) removed, line ends made Unix, ends trimmed."""

    def __init__(self, *, single_line=False, **kwargs):
        self.single_line = single_line
        super().__init__(**kwargs)

    def to_python(self, value):
        text = CONTROL.sub("", str(value or "").replace("\r\n", "\n").replace("\r", "\n"))
        return super().to_python(" ".join(text.split()) if self.single_line else text)


def issue_stamp():
    """A signed note of when the form was shown; too quick a reply is a robot's."""
    return signing.dumps(time.time(), salt=ISSUED_SALT)


class CommentForm(forms.ModelForm):
    # A honeypot: hidden from people by CSS, so only robots fill it in.
    leave_blank = forms.CharField(label=_("Leave this field empty"), required=False)
    issued = forms.CharField(widget=forms.HiddenInput, initial=issue_stamp)
    captcha = CaptchaField(
        label=_("Security Key"),
        widget=SecurityKeyInput,
        error_messages={"invalid": _("The security key was wrong or has expired. Please type the new one.")},
    )

    class Meta:
        model = Comment
        fields = ["name", "email", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}
        labels = {"email": _("E-mail (optional, never shown)")}
        help_texts = {"email": ""}  # the label says it; an unshown help text would leave aria-describedby dangling
        field_classes = {"name": PlainTextField, "body": PlainTextField}

    def __init__(self, *args, deferred=False, **kwargs):
        """`deferred`: the form of a page shared by readers, without a key or `issued` stamp (see form_parts)."""
        super().__init__(*args, **kwargs)
        self.fields["name"].single_line = True
        self.deferred = deferred
        if deferred:
            self.fields["captcha"].widget.deferred = True
            self.fields["issued"].initial = ""

    def clean_issued(self):
        try:
            issued = float(signing.loads(self.cleaned_data["issued"], salt=ISSUED_SALT))
        except (signing.BadSignature, TypeError, ValueError):
            raise forms.ValidationError(_("The form was altered or is out of date; please send it again.")) from None
        if time.time() - issued < settings.COMMENTS_MIN_SECONDS:
            raise forms.ValidationError(_("That was quick! Please check your comment and send it again."))
        return issued

    def clean_leave_blank(self):
        if self.cleaned_data["leave_blank"]:
            raise forms.ValidationError(_("Your comment could not be accepted."))
        return ""
