"""The first administrator of a new site, made from a link `dateline demo` prints: no docs to read, no shell.

The link is signed and expires; it works only while the site has no administrator, so once used it is dead.
"""

from django import forms
from django.contrib.auth import get_user_model, login, password_validation
from django.contrib.auth.models import Group
from django.core import signing
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

SALT = "dateline.newsroom.setup"
LIFETIME = 24 * 3600


def needs_setup():
    return not get_user_model().objects.filter(is_superuser=True, is_active=True).exists()


def setup_path():
    """The path of a fresh setup link (valid LIFETIME seconds)."""
    return reverse("newsroom:setup", args=[signing.dumps("first-administrator", salt=SALT)])


class FirstAdministratorForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(
        label=_("Password again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        elif data.get("password1"):
            user = get_user_model()(username=data.get("username", ""), email=data.get("email", ""))
            try:
                password_validation.validate_password(data["password1"], user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data

    def save(self):
        first, _space, last = self.cleaned_data["name"].partition(" ")
        user = get_user_model().objects.create_superuser(
            self.cleaned_data["username"], self.cleaned_data["email"], self.cleaned_data["password1"],
            first_name=first, last_name=last,
        )  # fmt: skip
        user.groups.add(Group.objects.get(name="Admin"))
        return user


@never_cache
def setup(request, token):
    """Create the first administrator and open the desk for them; 404 once the site has one or the link expired."""
    try:
        signing.loads(token, salt=SALT, max_age=LIFETIME)
    except signing.BadSignature:
        raise Http404("This setup link is not valid (or has expired); run `dateline demo` for a new one.") from None
    if not needs_setup():
        raise Http404("This site already has an administrator.")
    form = FirstAdministratorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("newsroom:home")
    return render(request, "newsroom/desk/setup.html", {"form": form})
