from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    name = "slihub.workshops"
    verbose_name = "Regional knowledge workshops"
