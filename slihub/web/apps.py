from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "slihub.web"
    verbose_name = "Web"
