from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "dateline.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.signals import user_login_failed

        from . import cachekeys, login, ratelimit

        for rate in ("COMMENTS_RATE_PER_IP", "COMMENTS_RATE_PER_STORY", "LOGIN_RATE_PER_IP"):
            ratelimit.parse_rate(getattr(settings, rate))  # a malformed rate stops the start, loudly
        user_login_failed.connect(login.count_failure, dispatch_uid="dateline.accounts.login.count_failure")
        cachekeys.connect()
