from django.apps import AppConfig


class AlliancesConfig(AppConfig):
    name = "slihub.alliances"
    verbose_name = "Regional improvement alliances"
