from django.core.management.base import BaseCommand

from beian.demo.loader import PASSWORD, USERS, create_demo, demo_exists


class Command(BaseCommand):
    help = "Create demo users for every role and applications at every stage (the seed's included)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="do nothing when demo data already exists"
        )

    def handle(self, *args, once=False, **options):
        if demo_exists():
            if once:
                self.stdout.write("demo data already loaded")
                return
            self.stderr.write("demo data already exists (use a fresh database)")
            raise SystemExit(1)
        result = create_demo()
        self.stdout.write(f"Demo users (password for all: {PASSWORD}):")
        for name, _role, label in USERS:
            self.stdout.write(f"  {name:<11} {label}")
        self.stdout.write(f"Seed application {result['seed'].number}: waiting for initial review")
        self.stdout.write(f"Unused filing service code: {result['spare_code']}")
