from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "slihub.surveys"
    verbose_name = "Annual survey of directors"
