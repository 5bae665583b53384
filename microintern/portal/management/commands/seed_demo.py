"""`manage.py seed_demo`: demo data for trying the portal. Idempotent: run it as often as you
like; it creates what is missing and leaves what exists alone.

Its logins share a public password, so with DEBUG off it refuses unless told
`--allow-production` (a demo or staging site, or CI's smoke test), and then the staff and ISO
logins take their password from DEMO_STAFF_PASSWORD, never the public one.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from microintern.portal.demo import seed


class Command(BaseCommand):
    help = "Create the demo logins and data (idempotent). Development only, unless told."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed with DEBUG off (a demo site); staff logins use DEMO_STAFF_PASSWORD.",
        )

    def handle(self, *args: object, **options: object) -> None:
        staff_password = seed.DEMO_PASSWORD
        if not settings.DEBUG:
            if not options["allow_production"]:
                raise CommandError(
                    "seed_demo creates logins with a public password and refuses to run with "
                    "DEBUG off. For a demo site, run it with --allow-production and "
                    "DEMO_STAFF_PASSWORD set."
                )
            staff_password = self.production_staff_password()
        with transaction.atomic():
            created = seed.run(staff_password=staff_password)
        if created:
            self.stdout.write(self.style.SUCCESS(f"Demo data created: {', '.join(created)}."))
        else:
            self.stdout.write("Demo data already present.")

    def production_staff_password(self) -> str:
        password = os.environ.get("DEMO_STAFF_PASSWORD", "")
        if not password:
            raise CommandError(
                "DEMO_STAFF_PASSWORD must be set: with DEBUG off the staff and ISO demo "
                "logins never get the public demo password."
            )
        if password == seed.DEMO_PASSWORD:
            raise CommandError(
                "DEMO_STAFF_PASSWORD is the public demo password; choose another for staff."
            )
        try:
            validate_password(password)
        except ValidationError as exc:
            raise CommandError("DEMO_STAFF_PASSWORD: " + " ".join(exc.messages)) from exc
        return password
