from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "slihub.inspections"
    verbose_name = "Inspections"
