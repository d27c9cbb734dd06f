"""The `beian` console command: Django's management commands under one name.

`beian serve`, `beian worker`, `beian demo`, `beian check`, `beian gate …`,
`beian authority …` are management commands of the apps; everything else
(`migrate`, `createsuperuser`, …) is Django's own.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beian.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["beian", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
