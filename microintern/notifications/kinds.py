"""Every kind of notification the portal sends, in one registry.

A kind names its templates (templates/emails/<key>/subject.txt, body.txt, body.html), whether
a user may turn its email off, and whether it may wait for the daily digest. Calling
`notify` with a key that is not here is a programming error and raises at the call site.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    # Decision deadlines, authorization steps and account security cannot be missed.
    mandatory: bool = False
    # Alerts a user may receive as one daily digest instead of one email each.
    digestible: bool = False
    audience: str = "student"
    # Carries a sign-in link or code: its body is erased once sent, and neither staff nor
    # the in-app inbox show it.
    secret: bool = False

    @property
    def optional(self) -> bool:
        """The user may turn this email off: in their preferences, or with one click from
        the email itself (its List-Unsubscribe header and footer link)."""
        return not self.mandatory


class UnknownNotificationKind(ValueError):
    pass


_KINDS: dict[str, Kind] = {}


def register(*kinds: Kind) -> None:
    for kind in kinds:
        if kind.key in _KINDS and _KINDS[kind.key] != kind:
            raise ValueError(f"Notification kind {kind.key!r} registered twice.")
        _KINDS[kind.key] = kind


def get(key: str) -> Kind:
    try:
        return _KINDS[key]
    except KeyError:
        raise UnknownNotificationKind(f"Unknown notification kind: {key!r}") from None


def all_kinds() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda kind: kind.label)


def secret_keys() -> list[str]:
    return [kind.key for kind in _KINDS.values() if kind.secret]


register(
    # Postings
    Kind("posting_approved", "Your posting was approved", audience="employer"),
    Kind(
        "posting_changes_requested", "CAPD asked for changes to your posting", audience="employer"
    ),
    Kind("posting_rejected", "Your posting was not approved", audience="employer"),
    Kind(
        "organization_verification",
        "CAPD verified (or stopped verifying) your organization",
        mandatory=True,
        audience="employer",
    ),
    Kind("posting_deadline_reminder", "Deadline reminders for saved postings", digestible=True),
    Kind("saved_search_alert", "New postings matching your saved searches", digestible=True),
    Kind("saved_search_stale", "A saved search needs updating"),
    Kind("new_postings_in_fields", "New postings in your fields of study", digestible=True),
    # Applications and interviews
    Kind("application_received", "New applications", digestible=True, audience="employer"),
    Kind("application_status_changed", "Your application's status changed"),
    Kind("interview_booked", "Interview booked", audience="both"),
    Kind("interview_moved", "Interview moved", audience="both"),
    Kind("interview_cancelled", "Interview cancelled", audience="both"),
    Kind("interview_reminder", "Interview reminders", audience="both"),
    Kind("undecided_applications", "Applicants still waiting for a decision", audience="employer"),
    Kind("application_withdrawn", "An applicant withdrew", audience="employer"),
    Kind(
        "application_withdrawn_after_acceptance",
        "An applicant accepted another offer",
        audience="employer",
    ),
    # Offers and arrangements
    Kind("offer_extended", "You received an offer", mandatory=True),
    Kind("offer_accepted", "Your offer was accepted", audience="employer"),
    Kind("offer_declined", "Your offer was declined", audience="employer"),
    Kind("offer_expired", "An offer expired", mandatory=True, audience="both"),
    Kind("offer_rescinded", "An offer was rescinded", mandatory=True),
    # CAPD staff reversed an acceptance: the offer is pending again (a new deadline the
    # student cannot miss) or recorded as declined; the student and the employer are told.
    Kind(
        "offer_acceptance_reversed",
        "CAPD reversed an acceptance",
        mandatory=True,
        audience="both",
    ),
    Kind(
        "reopened_after_reversal",
        "An offer or applicant is open again after CAPD reversed an acceptance",
        audience="employer",
    ),
    Kind("offer_decision_reminder", "Offer decision deadline", mandatory=True),
    Kind(
        "offer_deadline_moved",
        "An offer's decision deadline moved later",
        mandatory=True,
        audience="both",
    ),
    Kind("extension_requested", "A student asked for more time", audience="employer"),
    Kind("extension_answered", "Your extension request was answered", mandatory=True),
    Kind("arrangement_proposed", "Arrangement proposed", audience="both"),
    Kind("arrangement_confirmed", "Arrangement confirmed", audience="both"),
    Kind("arrangement_reminder", "Arrangement reminders", audience="both"),
    Kind("start_reminder", "Your micro-internship starts soon", audience="both"),
    # Work authorization
    Kind("authorization_case_opened", "Work authorization: next steps", mandatory=True),
    Kind("authorization_item_verified", "Work authorization step verified", mandatory=True),
    Kind(
        "authorization_case_submitted",
        "A student submitted a work-authorization request",
        mandatory=True,
        audience="staff",
    ),
    Kind("authorization_route_confirmed", "Work authorization route confirmed", mandatory=True),
    Kind("authorization_decided", "Work authorization decision", mandatory=True),
    Kind("authorization_at_risk", "Work authorization at risk", mandatory=True, audience="both"),
    Kind("authorization_item_due", "Work authorization steps due", mandatory=True),
    # Advising appointments with CAPD (the student and the adviser both get each)
    Kind("advising_booked", "Advising appointment booked"),
    Kind("advising_moved", "Advising appointment moved"),
    Kind("advising_cancelled", "Advising appointment cancelled"),
    Kind("advising_reminder", "Advising appointment reminders"),
    # The cycle
    Kind("key_date", "Key dates of the recruiting cycle", audience="both"),
    # Accounts (allauth's emails: verification, password reset, security notices)
    Kind("account", "Sign-in and account security", mandatory=True, audience="all", secret=True),
    # Operations
    Kind("daily_digest", "Daily digest of alerts", mandatory=True, audience="both"),
    Kind("test_message", "Test message", audience="both"),
)
