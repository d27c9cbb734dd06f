"""The WSGI application of `beian gate serve`: `/gate/check` and `/gate/blocked`
alone, without Django's handler or middleware (beian/registry/gate_wsgi.py)."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beian.settings")
django.setup()

from beian.registry.gate_wsgi import gate_only_app  # noqa: E402  (needs the apps loaded)

application = gate_only_app
