"""A cycle's exports for the office's reports: postings, and one row per student with how the
cycle ended for them; recorded before any row leaves, never with immigration data, for CAPD
staff alone, and only by a POST."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from microintern.portal.models import Export
from tests.applications import factories
from tests.offers import factories as offer_factories
from tests.portal.conftest import with_history
from tests.postings import factories as posting_factories

pytestmark = pytest.mark.django_db


def export_url(cycle, kind: str) -> str:
    return reverse("admin:cycles_recruitingcycle_export", args=[cycle.pk, kind])


def download(client: Client, cycle, kind: str) -> list[dict[str, str]]:
    response = client.post(export_url(cycle, kind))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_outcomes_have_one_row_per_student_with_what_they_accepted(
    client: Client, cycle_in_motion, staff
) -> None:
    client.force_login(staff)

    rows = download(client, cycle_in_motion, "outcomes")

    assert len(rows) == 5  # five students applied
    accepted = [row for row in rows if row["outcome"] == "Accepted"]
    assert len(accepted) == 1
    hired = accepted[0]
    assert hired["organization"] and hired["posting_title"]
    assert hired["start_date"] and hired["hours_per_week"] and hired["paid"] == "yes"
    assert hired["dates_confirmed"] == "yes"
    assert {row["outcome"] for row in rows} == {"Accepted", "No offer", "Offer not accepted"}


def test_no_immigration_data_is_in_any_export(
    client: Client, cycle_in_motion, staff, intl_student
) -> None:
    with_history(
        factories.ApplicationFactory(
            posting=posting_factories.PublishedPostingFactory(cycle=cycle_in_motion),
            student=intl_student,
        )
    )
    client.force_login(staff)

    for kind in ("outcomes", "postings"):
        response = client.post(export_url(cycle_in_motion, kind))
        text = b"".join(response.streaming_content).decode("utf-8-sig").lower()
        header = text.splitlines()[0]
        for word in ("immigration", "visa", "f-1", "f1", "cpt", "opt", "authoriz", "citizen"):
            assert word not in header
        assert "f-1" not in text and "immigration" not in text


def test_the_postings_export_counts_applications_and_offers(
    client: Client, cycle_in_motion, staff
) -> None:
    client.force_login(staff)

    rows = download(client, cycle_in_motion, "postings")

    assert len(rows) == 4  # three published and a draft
    assert sum(int(row["applications"]) for row in rows) == 6
    assert sum(int(row["offers_accepted"]) for row in rows) == 1


def test_a_title_that_a_spreadsheet_would_run_is_written_as_text(
    client: Client, cycle_in_motion, staff
) -> None:
    posting_factories.PublishedPostingFactory(
        cycle=cycle_in_motion, title='=HYPERLINK("http://evil.example","x")'
    )
    client.force_login(staff)

    rows = download(client, cycle_in_motion, "postings")

    titles = [row["title"] for row in rows]
    assert '\'=HYPERLINK("http://evil.example","x")' in titles
    assert not any(title.startswith("=") for title in titles)


def test_each_export_is_recorded_with_who_and_which(client: Client, cycle_in_motion, staff):
    client.force_login(staff)

    download(client, cycle_in_motion, "outcomes")

    record = Export.objects.get()
    assert (record.exported_by, record.kind, record.cycle) == (staff, "outcomes", cycle_in_motion)
    listing = client.get(reverse("admin:portal_export_changelist")).content.decode()
    assert str(staff) in listing and "Outcomes per student" in listing
    # The record is an audit trail: nobody edits or deletes it, not even through the admin.
    assert client.post(reverse("admin:portal_export_delete", args=[record.pk])).status_code == 403


def test_a_get_exports_nothing_and_records_nothing(client: Client, cycle_in_motion, staff):
    client.force_login(staff)

    assert client.get(export_url(cycle_in_motion, "outcomes")).status_code == 405
    assert not Export.objects.exists()


def test_an_unknown_export_is_404_and_not_recorded(client: Client, cycle_in_motion, staff):
    client.force_login(staff)

    assert client.post(export_url(cycle_in_motion, "passports")).status_code == 404
    assert not Export.objects.exists()


@pytest.mark.parametrize("who", ["iso_advisor", "misti_manager", "student", "employer"])
def test_nobody_else_may_export(client: Client, cycle_in_motion, request, who: str) -> None:
    client.force_login(request.getfixturevalue(who))

    response = client.post(export_url(cycle_in_motion, "outcomes"))

    assert response.status_code in (302, 403)
    assert not Export.objects.exists()


def test_its_query_count_does_not_grow_with_the_rows(client: Client, cycle_in_motion, staff):
    client.force_login(staff)
    client.post(export_url(cycle_in_motion, "outcomes"))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            for kind in ("outcomes", "postings"):
                response = client.post(export_url(cycle_in_motion, kind))
                b"".join(response.streaming_content)
        return len(captured)

    small = queries()
    for application in factories.ApplicationFactory.create_batch(
        15, posting=posting_factories.PublishedPostingFactory(cycle=cycle_in_motion)
    ):
        offer_factories.AcceptedOfferFactory(application=application)
    assert queries() == small
