from django.core.management.base import BaseCommand, CommandError

from beian.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = "Issue an API token for a user (printed once): beian token USERNAME [NAME]"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("name", nargs="?", default="cli")

    def handle(self, *args, username, name, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}")
        _token, key = ApiToken.issue(user, name)
        self.stdout.write(key)
