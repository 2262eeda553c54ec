from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from dateline.articles.models import Section

from .results import ORDERS
from .text import CONTROL


class QueryField(forms.CharField):
    """Free text; control characters (NUL included) are dropped rather than refused: a search never errs."""

    def to_python(self, value):
        return super().to_python(CONTROL.sub(" ", value or ""))


class SearchForm(forms.Form):
    """The search page's form; a filter that does not validate is reported and left out, never an error page."""

    q = QueryField(label=_("Search stories"), required=False)
    section = forms.ChoiceField(label=_("Section"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"), required=False, choices=[("relevance", _("Relevance")), ("date", _("Newest first"))]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"
        self.fields["section"].choices = [("", _("All sections")), *section_choices()]
        self.fields["language"].choices = [("", _("All languages")), *settings.LANGUAGES]
        # "from" is a Python keyword, so these two are added here rather than declared above.
        self.fields["from"] = forms.DateField(label=_("From"), required=False, widget=DateInput)
        self.fields["to"] = forms.DateField(label=_("To"), required=False, widget=DateInput)

    def search_arguments(self):
        """Keyword arguments for dateline.search.search() from the fields that validated."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "section": data.get("section") or None,
            "language": data.get("language") or None,
            "since": data.get("from"),
            "until": data.get("to"),
            "order": data.get("sort") if data.get("sort") in ORDERS else "relevance",
        }


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


def section_choices():
    return [(section.slug, section.name) for section in Section.objects.only("slug", "name")]
