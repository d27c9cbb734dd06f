from django.apps import AppConfig


class FilingsConfig(AppConfig):
    name = "beian.filings"
    label = "filings"

    def ready(self):
        from beian.filings import protection  # noqa: F401 - connects the delete refusal

        # App loading: notify (below) learns which messages staff may see.
        from beian.filings.selectors import messages_in_scope
        from beian.notify.scope import register_scope

        register_scope(messages_in_scope)
