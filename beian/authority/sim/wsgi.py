"""WSGI application of the simulator: Django with the simulator's URLs.

``SimHandler`` serves ``beian.authority.sim.urls`` whatever ROOT_URLCONF says, so the same
handler works in the simulator process (sim_settings) and in tests (a thread beside Beian).
"""

from django.core.handlers.wsgi import WSGIHandler

URLCONF = "beian.authority.sim.urls"


class SimHandler(WSGIHandler):
    def get_response(self, request):
        request.urlconf = URLCONF
        return super().get_response(request)


def application_factory() -> SimHandler:
    import django

    django.setup(set_prefix=False)
    return SimHandler()
