"""The employer's pages: the dashboard, the posting form and the posting's actions."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, Prefetch, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from microintern.cycles.models import RecruitingCycle
from postings import services
from postings.forms import InvitationForm, MaterialFormSet, PostingForm, material_initial
from postings.models import (
    Membership,
    OrganizationInvitation,
    Posting,
    PostingError,
    PostingStatus,
    PostingStatusChange,
)
from postings.views.access import membership_of, organization_or_404, own_posting_or_404

S = PostingStatus
DASHBOARD_ORDER = [S.CHANGES_REQUESTED, S.DRAFT, S.SUBMITTED, S.PUBLISHED, S.CLOSED, S.REJECTED]
DASHBOARD_PAGE_SIZE = 25


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    membership = membership_of(request)
    if membership is None:
        raise Http404("You are not a member of an organization.")
    organization = membership.organization
    # Queries, whatever the postings: the page (grouped by status, in DASHBOARD_ORDER), the
    # last change of each, the counts per status (which the headings and the pager read),
    # the applicant counts (the template), the current cycle.
    counts = dict(
        Posting.objects.of_organization(organization).values_list("status").annotate(n=Count("pk"))
    )
    group_order = Case(
        *(When(status=status, then=Value(i)) for i, status in enumerate(DASHBOARD_ORDER)),
        default=Value(len(DASHBOARD_ORDER)),
    )
    queryset = (
        Posting.objects.of_organization(organization)
        .defer("description", "search_document", "search_terms")
        .select_related("cycle")
        .prefetch_related(
            Prefetch(
                "status_changes",
                queryset=PostingStatusChange.objects.order_by("-at", "-pk")[:1],
                to_attr="recent_changes",
            )
        )
        .order_by(group_order, "-created_at", "-pk")
    )
    # Counting again is no use: the counts per status add up to the total.
    paginator = Paginator(queryset, DASHBOARD_PAGE_SIZE)
    paginator.count = sum(counts.values())
    page = paginator.get_page(request.GET.get("page"))
    postings = list(page.object_list)
    groups = [
        (status, S(status).label, [p for p in postings if p.status == status], counts[status])
        for status in DASHBOARD_ORDER
        if status in counts
    ]
    context = {
        "organization": organization,
        "membership": membership,
        "groups": [g for g in groups if g[2]],
        "page": page,
        "postings": postings,  # the template counts their applicants in one query
        "counts": counts,
        "current_cycle": RecruitingCycle.objects.current(),
        "invite_form": InvitationForm() if membership.role == Membership.Role.OWNER else None,
    }
    return render(request, "postings/dashboard.html", context)


def add_errors(form: PostingForm, exc: ValidationError) -> None:
    """A service's errors on the form: on their field when the form has it, else on top."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for name, messages_ in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, messages_)


def _posting_form_page(request: HttpRequest, posting: Posting, *, creating: bool) -> HttpResponse:
    if request.method == "POST":
        form = PostingForm(request.POST, instance=posting)
        formset = MaterialFormSet(request.POST, prefix="materials")
        if form.is_valid() and formset.is_valid():
            try:
                kwargs = {
                    "by": request.user,
                    "values": form.posting_values(),
                    "fields_of_study": form.cleaned_data["fields_of_study"],
                    "materials": formset.specs(),
                }
                if creating:
                    saved = services.posting_create(
                        organization=posting.organization, cycle=posting.cycle, **kwargs
                    )
                else:
                    was_published = posting.status == S.PUBLISHED
                    saved = services.posting_update(posting=posting, **kwargs)
            except ValidationError as exc:
                add_errors(form, exc)
            except PostingError as exc:
                messages.error(request, str(exc))
                return redirect("postings:detail", pk=posting.pk)
            else:
                if creating:
                    messages.success(request, "Draft saved. Submit it to CAPD when it is ready.")
                elif was_published:
                    messages.warning(
                        request,
                        "Saved. The posting is back with CAPD for review and hidden from "
                        "students until approved.",
                    )
                else:
                    messages.success(request, "Changes saved.")
                return redirect("postings:detail", pk=saved.pk)
    else:
        form = PostingForm(instance=posting)
        initial = [] if creating else material_initial(list(posting.materials.all()))
        formset = MaterialFormSet(prefix="materials", initial=initial)
    return render(
        request,
        "postings/form.html",
        {"form": form, "formset": formset, "posting": posting, "creating": creating},
    )


@login_required
@require_http_methods(["GET", "POST"])
def posting_create(request: HttpRequest) -> HttpResponse:
    organization = organization_or_404(request)
    cycle = RecruitingCycle.objects.current()
    if cycle is None:
        messages.error(request, "No recruiting cycle is open yet. CAPD will announce the next one.")
        return redirect("postings:dashboard")
    return _posting_form_page(
        request, Posting(organization=organization, cycle=cycle), creating=True
    )


@login_required
@require_http_methods(["GET", "POST"])
def posting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    posting = own_posting_or_404(request, pk)
    if not posting.is_editable:
        messages.error(
            request,
            f"A {posting.get_status_display().lower()} posting cannot be edited. "
            "Duplicate it instead.",
        )
        return redirect("postings:detail", pk=posting.pk)
    return _posting_form_page(request, posting, creating=False)


def _action(
    request: HttpRequest, pk: int, service: Callable[..., Posting], done: str
) -> HttpResponse:
    posting = own_posting_or_404(request, pk)
    try:
        service(posting=posting, by=request.user)
    except ValidationError as exc:
        messages.error(request, "Fix these first: " + " ".join(exc.messages))
        return redirect("postings:edit", pk=posting.pk)
    except (PostingError, PermissionDenied) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("postings:detail", pk=posting.pk)


@login_required
@require_POST
def posting_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        services.posting_submit,
        "Submitted. CAPD staff review postings within a few business days.",
    )


@login_required
@require_POST
def posting_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request, pk, services.posting_withdraw, "Withdrawn. Students no longer see this posting."
    )


@login_required
@require_POST
def posting_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, services.posting_close, "Closed as filled.")


@login_required
@require_POST
def posting_duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    posting = own_posting_or_404(request, pk)
    try:
        copy = services.posting_duplicate(posting=posting, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("postings:detail", pk=posting.pk)
    messages.success(
        request, "Copied into a new draft for the current cycle. Check the dates and the deadline."
    )
    return redirect("postings:edit", pk=copy.pk)


@login_required
@require_POST
def invitation_create(request: HttpRequest) -> HttpResponse:
    organization = organization_or_404(request)
    form = InvitationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter a valid email address to invite a colleague.")
        return redirect("postings:dashboard")
    try:
        invitation = services.organization_invite(
            organization=organization, by=request.user, email=form.cleaned_data["email"]
        )
    except PermissionDenied:
        raise Http404("Only owners invite colleagues.") from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("postings:dashboard")
    link = request.build_absolute_uri(invitation_url(invitation))
    messages.success(
        request,
        f"We emailed an invitation to {invitation.email}. If it does not arrive, send them "
        f"this link: {link}",
    )
    return redirect("postings:dashboard")


def invitation_url(invitation: OrganizationInvitation) -> str:
    return reverse("postings:invitation", args=[invitation.token])


@login_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = get_object_or_404(
        OrganizationInvitation.objects.select_related("organization"),
        token=token,
        accepted_at__isnull=True,
        email__iexact=request.user.email,
    )
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, f"You joined {invitation.organization}.")
            return redirect("postings:dashboard")
    return render(request, "postings/invitation.html", {"invitation": invitation})
