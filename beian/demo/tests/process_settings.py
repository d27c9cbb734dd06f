"""Settings for the `make run`-like processes the demo tests start: the project's settings
with the MD5 password hasher (as the test session uses, see the root conftest.py)."""

from beian.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
