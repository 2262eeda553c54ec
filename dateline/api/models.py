import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "dl_"
SHOWN_CHARS = 11  # "dl_" and eight characters: enough to tell tokens apart, too few to guess one


def hash_token(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)

    def find(self, raw):
        """The active token whose hash is `raw`'s, or None."""
        return self.active().select_related("user").filter(key_hash=hash_token(raw)).first()


class ApiToken(models.Model):
    """A key to the API for one user. Only its SHA-256 is stored: the token itself is shown once, when made."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100, blank=True, help_text=_("What the token is for."))
    key_hash = models.CharField(_("SHA-256 of the token"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("starts with"), max_length=SHOWN_CHARS, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.prefix}… ({self.user})"

    @classmethod
    def issue(cls, user, name=""):
        """A new token for `user`: returns the saved row and the token itself, which is not kept anywhere."""
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, key_hash=hash_token(raw), prefix=raw[:SHOWN_CHARS])
        return token, raw

    def note_use(self):
        """Record the time of use, at most once a minute, so reading the API does not write on every request."""
        now = timezone.now()
        if self.last_used_at is None or (now - self.last_used_at).total_seconds() >= 60:
            ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now
