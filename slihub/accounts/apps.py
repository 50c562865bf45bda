from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "slihub.accounts"
    verbose_name = "People and access"
