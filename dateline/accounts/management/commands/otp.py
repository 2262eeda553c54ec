"""dateline otp add|remove USERNAME: set up or remove a staff user's two-factor login (an authenticator app)."""

import io

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

try:
    import qrcode
except ImportError:  # the URI alone still works: most apps accept it pasted in
    qrcode = None


class Command(BaseCommand):
    help = "Set up (add) or remove (remove) the authenticator app a user's admin login asks a code from."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["add", "remove"])
        parser.add_argument("username")

    def handle(self, action, username, **options):
        user = self.find_user(username)
        if action == "remove":
            deleted, _ = TOTPDevice.objects.filter(user=user).delete()
            self.stdout.write(f"Two-factor login removed for {username}." if deleted else f"{username} had none.")
        else:
            self.add(user)

    def find_user(self, username):
        try:
            return get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user {username!r}.") from None

    def add(self, user):
        """A new key, shown as an otpauth:// URI and a QR code; kept only once a code from the app matches it."""
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise CommandError(f"{user.get_username()} already has an authenticator; `dateline otp remove` it first.")
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
        self.stdout.write("Add this key to the authenticator app (scan the code or paste the URI):")
        self.stdout.write(device.config_url)
        if qrcode:
            self.stdout.write(qr_text(device.config_url))
        token = input("Code the app shows now: ").strip().replace(" ", "")
        if not device.verify_token(token):
            device.delete()
            raise CommandError("That code does not match; nothing was changed. Run the command again.")
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        self.stdout.write(f"Two-factor login is on for {user.get_username()}: the admin login now asks for a code.")


def qr_text(data):
    """The QR code drawn with block characters, for a terminal."""
    code = qrcode.QRCode(border=2)
    code.add_data(data)
    out = io.StringIO()
    code.print_ascii(out=out, invert=True)
    return out.getvalue()
