from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "slihub.jobs"
    verbose_name = "Jobs"
