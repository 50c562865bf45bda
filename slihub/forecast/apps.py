from django.apps import AppConfig


class ForecastConfig(AppConfig):
    name = "slihub.forecast"
    verbose_name = "Demand forecast"
