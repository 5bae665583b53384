"""One accepted offer closes the recruiting cycle for its student (DOMAIN.md, Offers).

After accepting, the student takes no new applications, offers or interviews in that cycle,
unless staff reverse the acceptance (which reopens the hired application, so the cycle opens
again). The accepted application is the one marked hired in the cycle: the offers app marks
it inside the acceptance's transaction.

Every write that could add to a closed cycle (applying, extending an offer, booking an
interview) takes the student's row lock first, as acceptance does, and checks here under
it: whichever commits first, an acceptance never ends up beside an open application.
"""

from __future__ import annotations

from applications.models import Application, ApplicationError, ApplicationStatus
from microintern.accounts.models import User


class CycleClosedByAcceptance(ApplicationError):
    """The student accepted an offer in this cycle; carries the accepted application."""

    def __init__(self, accepted: Application, *, for_employer: bool = False) -> None:
        self.accepted = accepted
        posting = accepted.posting
        if for_employer:
            message = (
                "This student accepted another offer in this recruiting cycle, so they cannot "
                "take a new one (the recruiting guidelines: no reneging)."
            )
        else:
            message = (
                f"You accepted the offer for “{posting.title}” from "
                f"{posting.organization.name} in this recruiting cycle, so you cannot apply, "
                "take another offer or book interviews until the next cycle."
            )
        super().__init__(message)


def lock_student(student_id: int) -> User:
    # Every acceptance of this student's offers (and the expiry sweep) takes this lock first,
    # so two of their offers accepted at the same moment queue here instead of dead-locking on
    # each other's rows; applying, extending and booking take it too (see the module's doc).
    # FOR NO KEY UPDATE: rows inserted meanwhile that point at the user (notifications,
    # history) take FOR KEY SHARE, which a plain FOR UPDATE would block, and that was a
    # deadlock between an acceptance and the sweep.
    return User.objects.select_for_update(no_key=True).get(pk=student_id)


def accepted_application(student_id: int, cycle_id: int) -> Application | None:
    """The student's hired application in this cycle, if they accepted an offer in it."""
    return (
        Application.objects.filter(
            student_id=student_id, posting__cycle_id=cycle_id, status=ApplicationStatus.HIRED
        )
        .select_related("posting__organization")
        .first()
    )


def ensure_cycle_open(student_id: int, cycle_id: int, *, for_employer: bool = False) -> None:
    """Raise CycleClosedByAcceptance when the student accepted an offer in this cycle.

    Call it under `lock_student(student_id)` when about to write.
    """
    accepted = accepted_application(student_id, cycle_id)
    if accepted is not None:
        raise CycleClosedByAcceptance(accepted, for_employer=for_employer)
