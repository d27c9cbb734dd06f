from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "beian.accounts"
    label = "accounts"
