from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenants.models import SchoolKind
from tenants.services import domain_for, school_provision


class Command(BaseCommand):
    help = "Provision a school: its tenant row, its domain and its schema (cloned from the base schema)."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--urn", required=True, help="The six-digit DfE URN")
        parser.add_argument("--kind", required=True, choices=SchoolKind.values)
        parser.add_argument("--slug", required=True, help="Used in the school's address")

    def handle(self, *args, name, urn, kind, slug, **options):
        try:
            school = school_provision(name=name, urn=urn, kind=kind, slug=slug)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                lines = [f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()]
            else:
                lines = error.messages
            raise CommandError("\n".join(lines)) from error
        self.stdout.write(self.style.SUCCESS(f"Provisioned {school.name} at {domain_for(school.slug)}"))
