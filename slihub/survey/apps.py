from django.apps import AppConfig


class SurveyConfig(AppConfig):
    name = "slihub.survey"
    verbose_name = "Annual survey of directors"
