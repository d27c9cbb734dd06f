from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "beian.notify"
    label = "notify"
