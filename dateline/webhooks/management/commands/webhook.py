from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator

from ...models import EVENTS, Endpoint


class Command(BaseCommand):
    help = "Register, list and remove webhook endpoints."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help="Register an endpoint; prints its signing secret on the last line.")
        add.add_argument("url")
        add.add_argument("--events", default=",".join(EVENTS), help=f"comma-separated, of: {', '.join(EVENTS)}")
        add.add_argument("--description", default="")
        actions.add_parser("list", help="One endpoint a line: id, state, events, URL.")
        remove = actions.add_parser("remove", help="Remove an endpoint and its delivery log.")
        remove.add_argument("id", type=int)

    def handle(self, *args, action, **options):
        getattr(self, action)(**options)

    def add(self, url, events, description, **options):
        chosen = [event.strip() for event in events.split(",") if event.strip()]
        unknown = sorted(set(chosen) - set(EVENTS))
        if unknown or not chosen:
            raise CommandError(f"Unknown events {unknown or chosen}; choose from: {', '.join(EVENTS)}")
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise CommandError(f"Not an http(s) URL: {url}") from None
        endpoint = Endpoint.objects.create(url=url, events=chosen, description=description)
        self.stdout.write(f"Endpoint {endpoint.pk}: {url} receives {', '.join(chosen)}. Its signing secret:")
        self.stdout.write(endpoint.secret)

    def list(self, **options):
        for endpoint in Endpoint.objects.all():
            state = "active" if endpoint.is_active else f"disabled ({endpoint.disabled_reason})"
            self.stdout.write(f"{endpoint.pk}\t{state}\t{','.join(endpoint.events)}\t{endpoint.url}")

    def remove(self, id, **options):
        deleted, _ = Endpoint.objects.filter(pk=id).delete()
        if not deleted:
            raise CommandError(f"No webhook endpoint {id}.")
        self.stdout.write(f"Endpoint {id} removed.")
