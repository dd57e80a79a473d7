from django.core.management.base import BaseCommand

from tenants.services import platform_migrate


class Command(BaseCommand):
    help = "Migrate the public schema, the base schema schools are cloned from, and every school."

    def handle(self, *args, **options):
        platform_migrate(verbosity=max(options["verbosity"] - 1, 0))
        self.stdout.write(self.style.SUCCESS("Schemas are up to date."))
