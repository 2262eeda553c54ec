from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ...models import SHOWN_CHARS, ApiToken


class Command(BaseCommand):
    help = "Create or revoke API tokens: `token create USERNAME` prints a new token; `token revoke USERNAME`."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{create,revoke}")
        create = actions.add_parser("create", help="Make a token and print it (alone, on the last line).")
        create.add_argument("username")
        create.add_argument("--name", default="", help="What the token is for, shown in the admin.")
        revoke = actions.add_parser("revoke", help="Revoke the user's tokens (all of them unless --prefix).")
        revoke.add_argument("username")
        revoke.add_argument("--prefix", help="Revoke only the token that starts with this (as shown in the admin).")

    def handle(self, *args, action, username, **options):
        user = self.find_user(username)
        if action == "create":
            self.create(user, options["name"])
        else:
            self.revoke(user, options["prefix"])

    def find_user(self, username):
        try:
            return get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user is called {username!r}.") from None

    def create(self, user, name):
        if not user.is_active:
            raise CommandError(f"{user.get_username()!r} is not an active user; a token would not work.")
        token, raw = ApiToken.issue(user, name)
        self.stdout.write(f"A token for {user.get_username()} (it is shown only this once, keep it safe):")
        self.stdout.write(raw)

    def revoke(self, user, prefix):
        tokens = user.api_tokens.filter(revoked_at__isnull=True)
        if prefix:
            tokens = tokens.filter(prefix=prefix[:SHOWN_CHARS])
        count = tokens.update(revoked_at=timezone.now())
        self.stdout.write(f"Revoked {count} token(s) of {user.get_username()}.")
