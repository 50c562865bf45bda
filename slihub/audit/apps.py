from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "slihub.audit"
    verbose_name = "Audit log"
