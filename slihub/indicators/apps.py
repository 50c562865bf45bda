from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "slihub.indicators"
    verbose_name = "Indicators"
