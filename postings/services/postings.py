"""Postings: the employer's writes, staff moderation and the expiry sweep.

Status changes lock the posting's row, check the transition map, save with `update_fields`
and write a PostingStatusChange row; notifications go into the outbox in the same
transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from microintern.accounts.models import User
from microintern.cycles.models import RecruitingCycle
from microintern.notifications.services import notify
from postings.access import ensure_member, is_member
from postings.models import (
    CloseReason,
    FieldOfStudy,
    Membership,
    Organization,
    Posting,
    PostingError,
    PostingMaterial,
    PostingNotEditable,
    PostingStatus,
    PostingStatusChange,
    PublishRefused,
)
from postings.terms import POSTING_TERMS, MaterialSpec

S = PostingStatus


# The fields an employer writes; everything else (status, cycle, staff decisions) is the
# services' business.
# --- helpers ----------------------------------------------------------------------------------
def _ensure_staff(user: User) -> None:
    if not (user.is_active and user.is_staff):
        raise PermissionDenied("Only CAPD staff moderate postings.")


def _lock(posting: Posting) -> Posting:
    # Two staff approving, or staff approving while the employer withdraws: the row lock
    # makes the second one see the first one's status and fail the transition check.
    return (
        Posting.objects.select_for_update(of=("self",))
        .select_related("organization", "cycle")
        .get(pk=posting.pk)
    )


def _transition(
    posting: Posting,
    to_status: str,
    *,
    by: User | None,
    comment: str = "",
    fields: Sequence[str] = (),
) -> PostingStatusChange:
    posting.ensure_can_transition(to_status)  # raises InvalidTransition, nothing changed yet
    from_status = posting.status
    posting.status = to_status
    posting.save(update_fields=["status", "updated_at", *fields])
    return PostingStatusChange.objects.create(
        posting=posting, from_status=from_status, to_status=to_status, by=by, comment=comment
    )


def _replace_materials(posting: Posting, materials: Sequence[MaterialSpec]) -> None:
    rows = [
        PostingMaterial(
            posting=posting, label=m.label.strip(), kind=m.kind, required=m.required, position=i
        )
        for i, m in enumerate(materials)
    ]
    for i, row in enumerate(rows):
        try:
            row.full_clean(exclude=["posting"])
        except ValidationError as exc:
            raise ValidationError([f"Material {i + 1}: {m}" for m in exc.messages]) from exc
    posting.materials.all().delete()
    PostingMaterial.objects.bulk_create(rows)


def _notify_employer(posting: Posting, kind: str, change: PostingStatusChange) -> None:
    recipient = posting.created_by
    if recipient is None or not is_member(recipient, posting.organization_id):
        owner = posting.organization.memberships.filter(role=Membership.Role.OWNER).first()
        recipient = owner.user if owner else None
    if recipient is None:
        return
    verb = kind.removeprefix("posting_")
    notify(
        recipient=recipient,
        kind=kind,
        dedup_key=f"posting:{posting.pk}:{verb}:{change.pk}",
        context={"posting": posting, "comment": change.comment},
        url=reverse("postings:detail", args=[posting.pk]),
    )


# --- employers --------------------------------------------------------------------------------
@transaction.atomic
def posting_create(
    *,
    organization: Organization,
    by: User,
    values: Mapping[str, Any],
    fields_of_study: Iterable[FieldOfStudy] = (),
    materials: Sequence[MaterialSpec] = (),
    cycle: RecruitingCycle | None = None,
) -> Posting:
    """A new draft in the current cycle (or `cycle`), with its fields and extra materials."""
    ensure_member(by, organization.pk)
    cycle = cycle or RecruitingCycle.objects.current()
    if cycle is None:
        raise ValidationError("No recruiting cycle is open yet: CAPD staff must set one up.")
    unknown = set(values) - set(POSTING_TERMS)
    if unknown:
        raise ValueError(f"Not posting terms: {sorted(unknown)}")
    posting = Posting(
        organization=organization, cycle=cycle, created_by=by, status=S.DRAFT, **values
    )
    posting.full_clean()
    posting.save()
    posting.fields_of_study.set(fields_of_study)
    _replace_materials(posting, materials)
    posting.refresh_search_fields()
    PostingStatusChange.objects.create(posting=posting, from_status="", to_status=S.DRAFT, by=by)
    return posting


@transaction.atomic
def posting_update(
    *,
    posting: Posting,
    by: User,
    values: Mapping[str, Any],
    fields_of_study: Iterable[FieldOfStudy] | None = None,
    materials: Sequence[MaterialSpec] | None = None,
) -> Posting:
    """Change a posting's terms. A published posting goes back to CAPD for review: employers
    cannot change what students already see without staff approving it again."""
    posting = _lock(posting)
    ensure_member(by, posting.organization_id)
    if not posting.is_editable:
        raise PostingNotEditable(
            f"A {posting.get_status_display().lower()} posting cannot be edited."
        )
    unknown = set(values) - set(POSTING_TERMS)
    if unknown:
        raise ValueError(f"Not posting terms: {sorted(unknown)}")
    for name, value in values.items():
        setattr(posting, name, value)
    posting.full_clean()
    posting.save(update_fields=[*values, "updated_at"])
    if fields_of_study is not None:
        posting.fields_of_study.set(fields_of_study)
    if materials is not None:
        _replace_materials(posting, materials)
    posting.refresh_search_fields()
    if posting.status == S.PUBLISHED:
        posting.submitted_at = timezone.now()
        # Staff decide on unpaid work again for the edited terms.
        posting.unpaid_approved = False
        _transition(
            posting,
            S.SUBMITTED,
            by=by,
            fields=["submitted_at", "unpaid_approved"],
            comment="Edited after publication: back to CAPD for review.",
        )
    return posting


@transaction.atomic
def posting_submit(*, posting: Posting, by: User) -> Posting:
    """Send a draft (or a posting CAPD asked to change) to CAPD for review."""
    posting = _lock(posting)
    ensure_member(by, posting.organization_id)
    posting.ensure_can_transition(S.SUBMITTED)
    posting.full_clean()  # every rule again: a draft may have been saved long ago
    posting.submitted_at = timezone.now()
    _transition(posting, S.SUBMITTED, by=by, fields=["submitted_at"])
    return posting


@transaction.atomic
def posting_withdraw(*, posting: Posting, by: User) -> Posting:
    """The employer takes the posting down, whatever open state it is in."""
    posting = _lock(posting)
    ensure_member(by, posting.organization_id)
    posting.close_reason, posting.closed_at = CloseReason.WITHDRAWN, timezone.now()
    _transition(
        posting,
        S.CLOSED,
        by=by,
        fields=["close_reason", "closed_at"],
        comment="Withdrawn by the employer.",
    )
    return posting


@transaction.atomic
def posting_close(*, posting: Posting, by: User, reason: str = CloseReason.FILLED) -> Posting:
    """Close a published posting (filled, usually). Only published postings close this way."""
    posting = _lock(posting)
    if not by.is_staff:
        ensure_member(by, posting.organization_id)
    if posting.status != S.PUBLISHED:
        raise PostingError("Only a published posting can be closed as filled; withdraw it instead.")
    posting.close_reason, posting.closed_at = reason, timezone.now()
    _transition(
        posting,
        S.CLOSED,
        by=by,
        fields=["close_reason", "closed_at"],
        comment=CloseReason(reason).label + ".",
    )
    return posting


def _shift_into(day: dt.date, old: RecruitingCycle, new: RecruitingCycle) -> dt.date:
    shifted = new.iap_start + (day - old.iap_start)
    return min(max(shifted, new.iap_start), new.iap_end)


@transaction.atomic
def posting_duplicate(
    *, posting: Posting, by: User, cycle: RecruitingCycle | None = None
) -> Posting:
    """A new draft in the current cycle from a past posting: same terms, fields and
    materials, dates moved into the new IAP window and a fresh deadline to check."""
    ensure_member(by, posting.organization_id)
    cycle = cycle or RecruitingCycle.objects.current()
    if cycle is None:
        raise ValidationError("No recruiting cycle is open yet: CAPD staff must set one up.")
    source = Posting.objects.select_related("cycle", "organization").get(pk=posting.pk)
    values = {name: getattr(source, name) for name in POSTING_TERMS}
    values["title"] = source.title if source.cycle_id != cycle.pk else f"{source.title} (copy)"
    values["iap_start"] = _shift_into(source.iap_start, source.cycle, cycle)
    values["iap_end"] = _shift_into(source.iap_end, source.cycle, cycle)
    deadline = source.deadline + (cycle.iap_start - source.cycle.iap_start)
    latest = timezone.make_aware(
        dt.datetime.combine(values["iap_start"], dt.time(0, 0))
    ) - dt.timedelta(minutes=1)
    values["deadline"] = min(max(deadline, timezone.now() + dt.timedelta(days=14)), latest)
    # A draft may hold what the employer still has to fix; the rules run again at submit.
    copy = Posting(
        organization=source.organization,
        cycle=cycle,
        created_by=by,
        status=S.DRAFT,
        duplicated_from=source,
        **values,
    )
    copy.save()
    copy.fields_of_study.set(source.fields_of_study.all())
    _replace_materials(
        copy, [MaterialSpec(m.label, m.kind, m.required) for m in source.materials.all()]
    )
    copy.refresh_search_fields()
    PostingStatusChange.objects.create(
        posting=copy,
        from_status="",
        to_status=S.DRAFT,
        by=by,
        comment=f"Copied from posting {source.pk}.",
    )
    return copy


# --- staff moderation -------------------------------------------------------------------------
@transaction.atomic
def posting_approve(
    *, posting: Posting, by: User, comment: str = "", unpaid_approved: bool = False
) -> Posting:
    """Publish a submitted posting. An unpaid one needs the explicit "unpaid approved"."""
    _ensure_staff(by)
    posting = _lock(posting)
    posting.ensure_can_transition(S.PUBLISHED)
    fields = ["published_at"]
    if unpaid_approved and not posting.is_paid and not posting.unpaid_approved:
        posting.unpaid_approved = True
        fields.append("unpaid_approved")
    refusals = posting.publish_refusals()
    if refusals:
        raise PublishRefused(" ".join(refusals))
    posting.published_at = timezone.now()
    change = _transition(posting, S.PUBLISHED, by=by, comment=comment, fields=fields)
    _notify_employer(posting, "posting_approved", change)
    return posting


@transaction.atomic
def posting_request_changes(*, posting: Posting, by: User, comment: str) -> Posting:
    _ensure_staff(by)
    if not comment.strip():
        raise ValidationError({"comment": "Say what the employer should change."})
    posting = _lock(posting)
    change = _transition(posting, S.CHANGES_REQUESTED, by=by, comment=comment.strip())
    _notify_employer(posting, "posting_changes_requested", change)
    return posting


@transaction.atomic
def posting_reject(*, posting: Posting, by: User, comment: str) -> Posting:
    _ensure_staff(by)
    if not comment.strip():
        raise ValidationError({"comment": "Give the employer the reason for the rejection."})
    posting = _lock(posting)
    change = _transition(posting, S.REJECTED, by=by, comment=comment.strip())
    _notify_employer(posting, "posting_rejected", change)
    return posting


def postings_close_expired(*, now: dt.datetime | None = None, batch: int = 500) -> int:
    """Close published postings whose deadline has passed. Each row is claimed with a
    conditional update, so a second sweep running at the same time closes nothing twice."""
    now = now or timezone.now()
    due = list(
        Posting.objects.filter(status=S.PUBLISHED, deadline__lte=now)
        .order_by("deadline")
        .values_list("pk", flat=True)[:batch]
    )
    closed = 0
    for pk in due:
        with transaction.atomic():
            claimed = Posting.objects.filter(pk=pk, status=S.PUBLISHED, deadline__lte=now).update(
                status=S.CLOSED, close_reason=CloseReason.DEADLINE, closed_at=now, updated_at=now
            )
            if claimed:
                PostingStatusChange.objects.create(
                    posting_id=pk,
                    from_status=S.PUBLISHED,
                    to_status=S.CLOSED,
                    at=now,
                    comment="The application deadline passed.",
                )
                closed += 1
    return closed


def posting_refresh_search(*, posting: Posting) -> None:
    """Rebuild the search document (after staff edit a posting or a field of study)."""
    posting.refresh_search_fields()
