from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cse_platform.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"
