from django.apps import AppConfig


class WarningConfig(AppConfig):
    name = "slihub.warning"
    label = "early_warning"  # "warning" reads like Python's warnings module in logs and migrations
    verbose_name = "Early warning"
