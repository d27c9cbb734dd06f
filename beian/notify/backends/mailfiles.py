"""E-mail to files (the one-machine demo, `make run`): Django's file backend,
but every file is created 0600 in a 0700 folder, since a mail may carry a
one-time link (a password reset) meant for its recipient alone."""

from __future__ import annotations

import os

from django.core.mail.backends import filebased


class EmailBackend(filebased.EmailBackend):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        os.chmod(self.file_path, 0o700)

    def open(self):
        if self.stream is None:
            fd = os.open(self._get_filename(), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            self.stream = os.fdopen(fd, "ab")
            return True
        return False
