from django.apps import AppConfig


class AuthorityConfig(AppConfig):
    name = "beian.authority"
    label = "authority"
