from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "beian.registry"
    label = "registry"

    def ready(self) -> None:
        # App loading: the feed reads models, importable only once apps are ready.
        from beian.filings.models import on_access_change
        from beian.registry import feed

        on_access_change(feed.publish_websites)
