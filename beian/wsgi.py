import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beian.settings")
django_application = get_wsgi_application()

# /gate/check (nginx auth_request) skips Django's middleware: see
# beian/registry/gate_wsgi.py and docs/gate.md.
from beian.core.keys import refuse_wrong_key  # noqa: E402  (needs the app loaded)
from beian.registry.gate_wsgi import GateFront  # noqa: E402  (needs the app loaded)

# A web server started without a management command (waitress, granian, under
# systemd) refuses a PII key that is not the data's, as `beian check` does.
refuse_wrong_key()

application = GateFront(django_application)
