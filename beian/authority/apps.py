from django.apps import AppConfig


class AuthorityConfig(AppConfig):
    name = "beian.authority"
    label = "authority"

    def ready(self):
        # App loading: the back office (a lower app) shows the set-aside downloads through
        # its dashboard hook.
        from beian.authority import selectors
        from beian.review.selectors import register_notice

        register_notice(selectors.dashboard_notices)

        # App loading: /readyz (core) asks whether the administration's interface answers.
        from beian.authority.health import interface_reachable
        from beian.core.health import register_check

        register_check("authority", interface_reachable)
