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
