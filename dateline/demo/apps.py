from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo content for `make run` (`dateline demo`): a newsroom in three editions, all of it marked as demo."""

    name = "dateline.demo"
    label = "demo"
    verbose_name = "Demo content"
