from django.apps import AppConfig


class TransferConfig(AppConfig):
    name = "dateline.transfer"
    label = "transfer"
    verbose_name = "Import and export"
