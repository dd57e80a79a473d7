from django.core.management.base import BaseCommand

from tenants.demo import demo_seed


class Command(BaseCommand):
    help = "Seed the demo authority: central users, three schools with their staff, tutor groups and young people."

    def handle(self, *args, **options):
        demo_seed()
        self.stdout.write(self.style.SUCCESS("Demo authority is in place."))
