from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "slihub.jobs"
    verbose_name = "Jobs"

    def ready(self):
        # each capability's reminders register themselves with slihub.jobs.reminders on import
        from slihub.jobs import survey_reminders, workshop_reminders  # noqa: F401
