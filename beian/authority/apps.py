from django.apps import AppConfig


class AuthorityConfig(AppConfig):
    name = "beian.authority"
    label = "authority"

    def ready(self):
        # App loading: the back office (a lower app) shows the set-aside downloads through
        # its dashboard hook.
        from beian.authority import prechecks, selectors
        from beian.authority.health import interface_reachable
        from beian.core.health import register_check as register_readiness
        from beian.notify.digest import register_source
        from beian.review.prechecks import register_check
        from beian.review.selectors import register_notice

        register_notice(selectors.dashboard_notices)
        # ... and the reviewer's pre-checks warn on the administration's lists.
        register_check(prechecks.check_listed)
        # ... and the staff digest counts its work items due and overdue.
        register_source(selectors.digest_rows)
        # ... and /readyz (core) asks whether the administration's interface answers.
        register_readiness("authority", interface_reachable)
