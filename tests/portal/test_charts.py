"""The cycle in pictures: the funnel from posted to cleared to start, weeks against the key
dates, review and response times, offer outcomes; drawn as SVG from counts, in a fixed
number of queries, for the staff who may read every count it draws."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from microintern.portal.charts import CHARTS_SECONDS, cycle_charts, forget_cycle_charts
from postings.models import PostingStatusChange
from tests.applications import factories
from tests.offers import factories as offer_factories
from tests.portal.conftest import with_history
from tests.postings import factories as posting_factories

pytestmark = pytest.mark.django_db


def charts_url(cycle) -> str:
    return reverse("admin:cycles_recruitingcycle_charts", args=[cycle.pk])


def test_the_funnel_runs_from_posted_to_cleared_to_start(cycle_in_motion) -> None:
    charts = cycle_charts(cycle_in_motion)

    assert [(bar.label, bar.count) for bar in charts.funnel] == [
        ("Posted", 3),
        ("Approved", 3),
        ("Applications", 6),
        ("Interviews", 4),
        ("Offers", 2),
        ("Accepted", 1),
        ("Arranged", 1),
        ("Cleared to start", 1),  # a citizen: no authorization case to wait for
    ]
    widths = {bar.label: bar.width for bar in charts.funnel}
    assert widths["Applications"] == 100.0  # the longest bar fills the chart
    assert widths["Posted"] == 50.0


def test_a_confirmed_arrangement_waiting_for_authorization_is_not_cleared(
    cycle_in_motion, intl_student
) -> None:
    from authorization import services
    from tests.authorization.helpers import ACCEPTED_AT, IAP_START, make_profile

    application = with_history(
        factories.HiredApplicationFactory(
            posting=posting_factories.PublishedPostingFactory(cycle=cycle_in_motion),
            student=intl_student,
        ),
        "offered",
        "hired",
    )
    offer = offer_factories.AcceptedOfferFactory(application=application)
    offer_factories.ConfirmedArrangementFactory(offer=offer)
    if not hasattr(intl_student, "immigration_profile"):
        make_profile(intl_student)
    offer.authorization_case = services.case_open_for_acceptance(
        student=intl_student, start_date=IAP_START, accepted_at=ACCEPTED_AT
    )
    offer.save(update_fields=["authorization_case"])

    counts = {bar.label: bar.count for bar in cycle_charts(cycle_in_motion).funnel}

    assert counts["Arranged"] == 2
    assert counts["Cleared to start"] == 1


def test_durations_fall_in_the_buckets_capd_talks_about(db: None) -> None:
    cycle = posting_factories.current_cycle()
    asked = timezone.now() - dt.timedelta(days=30)
    hours = [2, 30, 30, 100, 20 * 24]  # within a day, 1-3 days twice, 3-7 days, over 2 weeks
    for taken in hours:
        posting = posting_factories.PublishedPostingFactory(cycle=cycle)
        PostingStatusChange.objects.create(
            posting=posting, from_status="draft", to_status="submitted", at=asked
        )
        PostingStatusChange.objects.create(
            posting=posting,
            from_status="submitted",
            to_status="changes_requested",
            at=asked + dt.timedelta(hours=taken),
        )

    review = cycle_charts(cycle).review

    assert [(bar.label, bar.count) for bar in review.bars] == [
        ("Within a day", 1),
        ("1–3 days", 2),
        ("3–7 days", 1),
        ("1–2 weeks", 0),
        ("Over 2 weeks", 1),
    ]
    assert review.total == 5
    assert review.mean_days == round(sum(hours) / 5 / 24, 2)
    assert review.mean_text == f"{review.mean_days:g} days"


def test_review_time_runs_from_each_submission_to_its_decision(db: None) -> None:
    posting = posting_factories.PublishedPostingFactory()
    start = timezone.now() - dt.timedelta(days=10)
    for days, old, new in [
        (0, "draft", "submitted"),
        (2, "submitted", "changes_requested"),  # 2 days
        (3, "changes_requested", "submitted"),
        (3.5, "submitted", "published"),  # half a day after the resubmission
    ]:
        PostingStatusChange.objects.create(
            posting=posting,
            from_status=old,
            to_status=new,
            at=start + dt.timedelta(days=days),
        )

    review = cycle_charts(posting.cycle).review

    assert review.total == 2
    assert {bar.label: bar.count for bar in review.bars}["Within a day"] == 1
    assert {bar.label: bar.count for bar in review.bars}["1–3 days"] == 1


def test_employer_response_counts_the_first_answer_and_who_still_waits(cycle_in_motion) -> None:
    charts = cycle_charts(cycle_in_motion)

    # One of the six applications was only ever submitted: it still waits.
    assert charts.still_waiting == 1
    assert charts.response.total == 5


def test_offer_outcomes_by_host_and_field(cycle_in_motion) -> None:
    declined = with_history(
        factories.OfferedApplicationFactory(
            posting=posting_factories.PublishedPostingFactory(
                cycle=cycle_in_motion, alumni_host=True, alumni_host_name="Sam Lee"
            )
        ),
        "offered",
    )
    offer_factories.DeclinedOfferFactory(application=declined)

    charts = cycle_charts(cycle_in_motion)

    by_host = {row.label: row.counts for row in charts.by_host}
    assert by_host["Alumni host"]["declined"] == 1
    assert sum(by_host["Other employers"].values()) == 1  # the accepted one; pending is undecided
    assert sum(row.total for row in charts.by_field) >= 2


def test_the_weeks_run_from_postings_open_to_the_end_of_iap_with_the_key_dates(
    cycle_in_motion,
) -> None:
    charts = cycle_charts(cycle_in_motion)
    cycle = cycle_in_motion

    assert charts.weeks[0].start <= cycle.postings_open < charts.weeks[1].start
    assert charts.weeks[-1].start <= cycle.iap_end
    assert sum(week.applications for week in charts.weeks) == 6
    assert [marker.date for marker in charts.markers] == [key.date for key in cycle.key_dates()]


def test_staff_see_the_page_with_a_chart_and_its_numbers(
    client: Client, cycle_in_motion, staff
) -> None:
    client.force_login(staff)

    page = client.get(charts_url(cycle_in_motion))

    assert page.status_code == 200
    text = page.content.decode()
    assert text.count("<svg") >= 5
    assert "Cleared to start" in text
    assert 'role="img"' in text
    assert "Download postings" in text
    assert reverse("admin:cycles_recruitingcycle_charts", args=[cycle_in_motion.pk]) in (
        client.get(reverse("admin:index")).content.decode()
    )


def test_its_query_count_does_not_grow_with_the_cycle(
    client: Client, cycle_in_motion, staff
) -> None:
    client.force_login(staff)
    url = charts_url(cycle_in_motion)
    client.get(url)  # the session and permissions, cached per request anyway
    forget_cycle_charts(cycle_in_motion)  # measure the counting, not the cached figures
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    forget_cycle_charts(cycle_in_motion)
    for application in factories.ApplicationFactory.create_batch(
        12, posting=posting_factories.PublishedPostingFactory(cycle=cycle_in_motion)
    ):
        offer_factories.DeclinedOfferFactory(
            application=with_history(application, "under_review", "offered")
        )
    with CaptureQueriesContext(connection) as larger:
        page = client.get(url)

    assert page.status_code == 200
    assert len(larger) == len(small) <= 25


@pytest.mark.parametrize("who", ["iso_advisor", "misti_manager", "student", "employer"])
def test_nobody_else_sees_it(client: Client, cycle_in_motion, request, who: str) -> None:
    client.force_login(request.getfixturevalue(who))

    page = client.get(charts_url(cycle_in_motion), follow=True)

    assert "Cleared to start" not in page.content.decode()


def test_a_missing_cycle_is_404(client: Client, staff) -> None:
    client.force_login(staff)
    assert (
        client.get(reverse("admin:cycles_recruitingcycle_charts", args=[999999])).status_code == 404
    )


def applications_shown(page: str) -> int:
    """The "Applications" count of the funnel's table."""
    return int(re.search(r"<th[^>]*>Applications</th>\s*<td[^>]*>(\d+)</td>", page).group(1))


def test_the_figures_are_counted_once_for_every_staff_member_for_a_few_minutes(
    client: Client, cycle_in_motion, staff, time_machine, settings
) -> None:
    # An in-process cache, whose expiry follows the travelling clock (Redis keeps its own).
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "charts",
        }
    }
    time_machine.move_to(timezone.now(), tick=False)
    client.force_login(staff)
    url = charts_url(cycle_in_motion)
    first = client.get(url).content.decode()
    forget_cycle_charts(cycle_in_motion)
    with CaptureQueriesContext(connection) as counting:
        assert client.get(url).status_code == 200
    counting_queries = len(counting)  # read now: the next request resets the query log
    factories.ApplicationFactory(
        posting=posting_factories.PublishedPostingFactory(cycle=cycle_in_motion)
    )

    with CaptureQueriesContext(connection) as cached:
        again = client.get(url).content.decode()
    cached_queries = len(cached)
    time_machine.shift(dt.timedelta(seconds=CHARTS_SECONDS + 1))
    later = client.get(url).content.decode()

    assert cached_queries < counting_queries - 5
    assert applications_shown(again) == applications_shown(first) == 6
    assert applications_shown(later) == 7
    shown_at = timezone.localtime().strftime("%-I:%M")
    assert "Figures as of" in later and shown_at in later


def test_a_change_to_the_cycle_shows_at_once(client: Client, cycle_in_motion, staff) -> None:
    client.force_login(staff)
    client.get(charts_url(cycle_in_motion))

    cycle_in_motion.name = "IAP 2027, renamed"
    cycle_in_motion.save()

    assert "IAP 2027, renamed" in client.get(charts_url(cycle_in_motion)).content.decode()
