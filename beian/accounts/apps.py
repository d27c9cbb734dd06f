from django.apps import AppConfig

from beian.core import masking


class AccountsConfig(AppConfig):
    name = "beian.accounts"
    label = "accounts"

    def ready(self) -> None:
        # App loading: models and notify's digest are importable only once apps are ready.
        from beian.accounts.selectors import active_staff
        from beian.notify import digest

        digest.register_recipients(active_staff)

        # The tokens in reset and confirmation links never reach a log line.
        masking.register_secret_pattern(r"(/accounts/(?:reset|confirm)/)[^\s\"'<>]+")
