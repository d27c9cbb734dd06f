from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "beian.core"
    label = "core"

    def ready(self):
        # App loading: registers the system check that the PII key is the data's (beian.E001).
        from beian.core import keys  # noqa: F401
