from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "beian.accounts"
    label = "accounts"

    def ready(self) -> None:
        # App loading: models and notify's digest are importable only once apps are ready.
        from beian.accounts.selectors import active_staff
        from beian.notify import digest

        digest.register_recipients(active_staff)
