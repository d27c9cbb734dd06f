"""The `beian` console command: Django's management commands under one name.

`beian serve`, `beian worker`, `beian demo`, `beian check`, `beian gate …`,
`beian authority …` are management commands of the apps; everything else
(`migrate`, `createsuperuser`, …) is Django's own.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    # Whatever a command creates (databases, mails, keys, logs) is private to this
    # account unless the code gives it another mode (the gate exports: 0644).
    os.umask(0o077)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beian.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["beian", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
