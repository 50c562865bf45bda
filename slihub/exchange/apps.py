from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "slihub.exchange"
    verbose_name = "Specialist exchange"
