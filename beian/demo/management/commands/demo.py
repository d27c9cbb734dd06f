from django.conf import settings
from django.core.management.base import BaseCommand

from beian.authority.existing import file_here, file_in_simulator_process
from beian.core.dnsserver import write_zone
from beian.demo.loader import PASSWORD, USERS, create_demo, demo_exists, demo_zone


class Command(BaseCommand):
    help = "Create demo users for every role and applications at every stage (the seed's included)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="do nothing when demo data already exists"
        )
        parser.add_argument(
            "--simulator-here",
            action="store_true",
            help="file the administration's demo records in this database, not the "
            "simulator's own (tests, where the simulator shares the test database)",
        )
        parser.add_argument(
            "--zone-file",
            default=settings.BEIAN["DNS_ZONE_FILE"],
            help="where to write the demo's DNS zone (for beian dns-responder)",
        )

    def handle(self, *args, once=False, simulator_here=False, zone_file="", **options):
        if demo_exists():
            if once:
                write_zone(zone_file, *demo_zone())
                self.stdout.write("demo data already loaded")
                return
            self.stderr.write("demo data already exists (use a fresh database)")
            raise SystemExit(1)
        result = create_demo(
            file_existing=file_here if simulator_here else file_in_simulator_process
        )
        write_zone(zone_file, *demo_zone())
        self.stdout.write(f"Demo users (password for all: {PASSWORD}):")
        for name, _role, label in USERS:
            self.stdout.write(f"  {name:<11} {label}")
        self.stdout.write(f"Seed application {result['seed'].number}: waiting for initial review")
        self.stdout.write(f"Unused filing service code: {result['spare_code']}")
