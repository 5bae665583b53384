"""`manage.py seed_demo`: demo data for trying the portal. Idempotent: run it as often as you
like; it creates what is missing and leaves what exists alone."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from microintern.core.demo import seed


class Command(BaseCommand):
    help = "Create the demo logins and data (idempotent)."

    def handle(self, *args: object, **options: object) -> None:
        with transaction.atomic():
            created = seed.run()
        if created:
            self.stdout.write(self.style.SUCCESS(f"Demo data created: {', '.join(created)}."))
        else:
            self.stdout.write("Demo data already present.")
