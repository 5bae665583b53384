"""What an acceptance closed, stored as links to its cause.

Accepting an offer withdraws the student's other open applications in the cycle and declines
their other pending offers (DOMAIN.md, Offers). Each of those is recorded here, with the
status it had, pointing at the accepted offer that closed it. A staff reversal of that
acceptance reopens exactly these rows: nothing is found by matching history text, so editing
a posting's title between the acceptance and the reversal changes nothing.

The link lives in offers, the layer above applications: applications knows nothing of it.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from applications.models import Application
from offers.models.offers import Offer


class AcceptanceClosureQuerySet(models.QuerySet["AcceptanceClosure"]):
    def open(self) -> AcceptanceClosureQuerySet:
        """Closed by the acceptance and not reopened since (by a reversal)."""
        return self.filter(reopened_at__isnull=True)


class AcceptanceClosure(models.Model):
    """One application withdrawn, or one other offer declined, by one acceptance."""

    accepted_offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, related_name="acceptance_closures"
    )
    # Exactly one of the two (the constraint below).
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    offer = models.ForeignKey(
        Offer,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="closed_by_acceptances",
        help_text="Another pending offer of the student's that the acceptance declined.",
    )
    # The application's (or the offer's) status before the acceptance closed it: where a
    # reversal puts it back.
    from_status = models.CharField(max_length=20)
    closed_at = models.DateTimeField(default=timezone.now)
    reopened_at = models.DateTimeField(
        null=True, blank=True, help_text="When a reversal of the acceptance reopened it."
    )

    objects = AcceptanceClosureQuerySet.as_manager()

    class Meta:
        ordering = ["closed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(application__isnull=False) & Q(offer__isnull=True))
                | (Q(application__isnull=True) & Q(offer__isnull=False)),
                name="acceptance_closure_one_target",
            ),
        ]

    def __str__(self) -> str:
        target = (
            f"application {self.application_id}"
            if self.application_id
            else f"offer {self.offer_id}"
        )
        return f"{target} closed by accepting offer {self.accepted_offer_id}"
