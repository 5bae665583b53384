"""Demo logins, shared by every app's demo data (microintern/portal/demo runs them all)."""

from __future__ import annotations

from allauth.account.models import EmailAddress

from microintern.accounts.models import User

DEMO_PASSWORD = "microintern-demo"


def ensure_user(
    email: str, *, full_name: str, role: str, password: str = DEMO_PASSWORD, **flags: bool
) -> tuple[User, bool]:
    user = User.objects.filter(email=email).first()
    created = user is None
    if created:
        user = User.objects.create_user(email, password, full_name=full_name, role=role, **flags)
    elif password != DEMO_PASSWORD and user.check_password(DEMO_PASSWORD):
        # A staff account made by an earlier development run keeps no public password.
        user.set_password(password)
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user, created
