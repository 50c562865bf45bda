from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "slihub.audit"
    verbose_name = "Audit log"

    def ready(self):
        from slihub.audit import registry

        registry.register_all()
