"""Telling people things in the desk: a Notice each, and an e-mail too where the site has a mail server."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils.text import Truncator

from dateline.articles.links import absolute_url

from .models import Notice

TEXT_LENGTH = Notice._meta.get_field("text").max_length


def notify(users, text, url=""):
    """A notice with `text` (and a link to `url`, a path) for each of `users`; e-mailed once the transaction commits,
    when e-mail is configured, to those with an address."""
    people = list({user.pk: user for user in users if user.is_active}.values())
    Notice.objects.bulk_create([Notice(user=user, text=Truncator(text).chars(TEXT_LENGTH), url=url) for user in people])
    if email_configured():
        messages = [mail(user, text, url) for user in people if user.email]
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True))
    return people


def email_configured():
    """Whether the site names a mail server (EMAIL_HOST, empty by default)."""
    return bool(settings.EMAIL_HOST)


def mail(user, text, url):
    """(subject, body, sender, recipients) for send_mass_mail: one message per person, so none sees the others."""
    subject = Truncator(" ".join(text.split())).chars(120)
    body = f"{text}\n\n{absolute_url(url)}\n" if url else f"{text}\n"
    return subject, body, None, [user.email]
