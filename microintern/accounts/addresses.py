"""Which email addresses make an account a student account: the institution's domains
(settings.STUDENT_EMAIL_DOMAINS). Sign-up and the email-address rules both ask here."""

from __future__ import annotations

from django.conf import settings


def is_institution_email(email: str) -> bool:
    domain = email.rsplit("@", 1)[-1].lower().strip()
    return any(
        domain == allowed or domain.endswith("." + allowed)
        for allowed in (d.lower() for d in settings.STUDENT_EMAIL_DOMAINS)
    )
