from django.core.management.base import BaseCommand

from tenants.demo import demo_summary


class Command(BaseCommand):
    help = "Print the demo's addresses and sign-ins."

    def handle(self, *args, **options):
        self.stdout.write(demo_summary())
