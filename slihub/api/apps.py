from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "slihub.api"
    verbose_name = "API"
