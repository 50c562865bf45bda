from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "slihub.evidence"
    verbose_name = "Evidence library"
