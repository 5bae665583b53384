"""What students (and every signed-in user) see: the list, a posting, saved things."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import cached_property
from django.views.decorators.http import require_GET, require_POST

from microintern.core.models import ProgramSettings
from postings import services
from postings.choices import result_count, with_cards
from postings.forms import PostingSearchForm, SavedSearchForm
from postings.models import FieldOfStudy, Posting, PostingStatusChange, SavedPosting, SavedSearch
from postings.models.postings import moderates_posting
from postings.search import active_filter_count, apply_filters
from postings.views.access import membership_of, visible_posting_or_404

PAGE_SIZE = 20


class CountedPaginator(Paginator):
    """A paginator told the count (postings.choices.result_count) rather than counting."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._count = count

    @cached_property
    def count(self) -> int:
        return self._count


def _list_queryset() -> Posting.objects.__class__:
    # The list shows no description: its wide text columns stay in the database.
    return (
        Posting.objects.published()
        .defer("description", "search_document", "search_terms")
        .select_related("organization")
        .prefetch_related(
            Prefetch("fields_of_study", queryset=FieldOfStudy.objects.order_by("name"))
        )
    )


def _saved_ids(request: HttpRequest, postings: list[Posting]) -> set[int]:
    """Which postings on this page the student saved (one query, whatever the page size;
    nothing for employers and staff). The "Applied" badges come from applications' tag."""
    if not request.user.is_student or not postings:
        return set()
    saved = SavedPosting.objects.filter(user=request.user, posting__in=[p.pk for p in postings])
    return set(saved.values_list("posting_id", flat=True))


@login_required
@require_GET
def posting_list(request: HttpRequest) -> HttpResponse:
    # Queries, whatever the page size: the count, the page, its fields of study, the saved
    # and applied flags (students), the field-of-study choices of the filter form.
    # A bad value (a mistyped link, a field of study since removed) drops its own filter
    # only, and the page names it: the search never widens to everything without a word.
    form = PostingSearchForm(request.GET or None)
    ignored = form.ignored()
    data = form.filters()
    queryset = apply_filters(_list_queryset(), data)
    paginator = CountedPaginator(queryset, PAGE_SIZE, count=result_count(queryset, data))
    page = paginator.get_page(request.GET.get("page"))
    postings = with_cards(list(page.object_list))
    query = form.valid_query() if ignored else request.GET.copy()
    query.pop("page", None)
    if ignored:
        # The filters shown are the ones in effect (one more query, on this path only).
        form = PostingSearchForm(query)
    saved_ids = _saved_ids(request, postings)
    context = {
        "form": form,
        "ignored_filters": ignored,
        "selects": [form[name] for name in ("scope", "field", "within", "sort")],
        "page": page,
        "postings": postings,
        "saved_ids": saved_ids,
        "query_string": query.urlencode(),
        "save_form": SavedSearchForm(initial={"query_string": query.urlencode()}),
        "filtered": bool(query),
        "active_filters": active_filter_count(data),
    }
    return render(request, "postings/list.html", context)


@login_required
@require_GET
def posting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    posting = visible_posting_or_404(
        request,
        pk,
        Posting.objects.select_related("organization", "cycle").prefetch_related(
            Prefetch("fields_of_study", queryset=FieldOfStudy.objects.order_by("name")), "materials"
        ),
    )
    membership = membership_of(request) if request.user.is_employer else None
    is_member = membership is not None and membership.organization_id == posting.organization_id
    can_moderate = moderates_posting(request.user, posting)
    history = []
    if is_member or can_moderate:
        history = list(PostingStatusChange.objects.filter(posting=posting).select_related("by"))
    context = {
        "posting": posting,
        "program": ProgramSettings.load(),
        "is_member": is_member,
        "can_moderate": can_moderate,
        "history": history,
        "is_saved": request.user.is_student
        and SavedPosting.objects.filter(user=request.user, posting=posting).exists(),
    }
    return render(request, "postings/detail.html", context)


@login_required
@require_POST
def saved_posting_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    posting = visible_posting_or_404(request, pk)
    try:
        saved = services.saved_posting_toggle(user=request.user, posting=posting)
    except PermissionDenied:
        messages.error(request, "Only students save postings.")
        return redirect("postings:detail", pk=posting.pk)
    messages.success(
        request,
        f"Saved “{posting.title}”."
        if saved
        else f"Removed “{posting.title}” from your saved postings.",
    )
    if request.POST.get("next") == "saved":
        return redirect("postings:saved")
    return redirect("postings:detail", pk=posting.pk)


@login_required
@require_GET
def saved_list(request: HttpRequest) -> HttpResponse:
    # Queries, whatever the rows: for each list its count and its page (postings with their
    # organization), and the fields of study once when a page holds saved searches.
    saves = (
        SavedPosting.objects.filter(user=request.user)
        .select_related("posting__organization")
        .only(
            "posting__title",
            "posting__status",
            "posting__deadline",
            "posting__organization__name",
        )
        .order_by("posting__deadline", "pk")
    )
    saves_page = Paginator(saves, PAGE_SIZE).get_page(request.GET.get("page"))
    searches_page = Paginator(
        SavedSearch.objects.filter(user=request.user).order_by("-created_at", "-pk"), PAGE_SIZE
    ).get_page(request.GET.get("searches"))
    searches = list(searches_page.object_list)
    if searches:
        # Which saved searches name a filter that is no longer valid (their alerts are
        # paused): the fields of study are read once for all of them.
        fields_of_study = list(FieldOfStudy.objects.all())
        for search in searches:
            form = PostingSearchForm(
                QueryDict(search.query_string), fields_of_study=fields_of_study
            )
            search.stale_filters = form.ignored()
    context = {
        "saves_page": saves_page,
        "saves": saves_page.object_list,
        "searches_page": searches_page,
        "searches": searches,
        # Each list's pager keeps the other list's page.
        "saves_query": _other_page(request, "searches"),
        "searches_query": _other_page(request, "page"),
    }
    return render(request, "postings/saved.html", context)


def _other_page(request: HttpRequest, param: str) -> str:
    query = QueryDict(mutable=True)
    if request.GET.get(param):
        query[param] = request.GET[param]
    return query.urlencode()


@login_required
@require_POST
def saved_search_create(request: HttpRequest) -> HttpResponse:
    form = SavedSearchForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose how often you want alerts for this search.")
        return redirect("postings:list")
    try:
        saved = services.saved_search_create(
            user=request.user,
            query_string=form.cleaned_data["query_string"],
            name=form.cleaned_data["name"],
            frequency=form.cleaned_data["frequency"],
        )
    except PermissionDenied:
        messages.error(request, "Only students save searches.")
        return redirect("postings:list")
    messages.success(request, f"Saved the search {saved.name}.")
    return redirect("postings:saved")


@login_required
@require_POST
def saved_search_delete(request: HttpRequest, pk: int) -> HttpResponse:
    saved = get_object_or_404(SavedSearch, pk=pk, user=request.user)
    services.saved_search_delete(user=request.user, saved_search=saved)
    messages.success(request, f"Deleted the saved search {saved.name}.")
    return redirect("postings:saved")
