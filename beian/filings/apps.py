from django.apps import AppConfig


class FilingsConfig(AppConfig):
    name = "beian.filings"
    label = "filings"

    def ready(self):
        from beian.filings import protection  # noqa: F401 - connects the delete refusal
