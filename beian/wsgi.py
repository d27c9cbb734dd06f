import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beian.settings")
django_application = get_wsgi_application()

# /gate/check (nginx auth_request) skips Django's middleware: see
# beian/registry/gate_wsgi.py and docs/gate.md.
from beian.registry.gate_wsgi import GateFront  # noqa: E402  (needs the app loaded)

application = GateFront(django_application)
