"""Every rule of a posting is a form error that says what to change, and nothing is half
saved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from microintern.core.models import ProgramSettings
from microintern.cycles.models import RecruitingCycle
from postings import services
from postings.forms import MaterialFormSet, PostingForm
from postings.models import FieldOfStudy, Posting, PostingMaterial
from tests.postings import factories

pytestmark = pytest.mark.django_db


def valid_data(cycle, **overrides):
    field = FieldOfStudy.objects.get(name="Computer Science")
    deadline = timezone.localtime(timezone.now() + dt.timedelta(days=10))
    data = {
        "title": "Build a dashboard for our robots",
        "description": "You will build a small dashboard.\n\nThen present it.",
        "description_format": "plain",
        "fields_of_study": [str(field.pk)],
        "location_type": "remote",
        "city": "",
        "country": "",
        "is_paid": "on",
        "pay_amount": "20.00",
        "pay_unit": "hour",
        "iap_start": cycle.iap_start.isoformat(),
        "iap_end": (cycle.iap_start + dt.timedelta(days=14)).isoformat(),
        "hours_per_week": "15",
        "openings": "1",
        "deadline": deadline.strftime("%Y-%m-%dT%H:%M"),
        "application_instructions": "Send a resume.",
        "requires_resume": "on",
        "requires_cover_letter": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def bound_form(cycle, org, **overrides):
    return PostingForm(
        valid_data(cycle, **overrides), instance=Posting(organization=org, cycle=cycle)
    )


def errors_for(cycle, org, field, **overrides):
    form = bound_form(cycle, org, **overrides)
    assert not form.is_valid()
    return " ".join(form.errors.get(field, []))


def test_it_accepts_a_valid_posting(cycle, org_a):
    form = bound_form(cycle, org_a)
    assert form.is_valid(), form.errors


def test_it_refuses_a_deadline_in_the_past(cycle, org_a):
    past = timezone.localtime(timezone.now() - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    assert "has passed" in errors_for(cycle, org_a, "deadline", deadline=past)


def test_it_refuses_a_deadline_on_or_after_the_start(cycle, org_a):
    late = f"{cycle.iap_start.isoformat()}T09:00"
    assert "before the proposed start" in errors_for(cycle, org_a, "deadline", deadline=late)


def test_it_refuses_a_start_outside_the_iap_window(cycle, org_a):
    early = (cycle.iap_start - dt.timedelta(days=1)).isoformat()
    assert "inside IAP" in errors_for(cycle, org_a, "iap_start", iap_start=early)


def test_it_refuses_an_end_after_the_iap_window(cycle, org_a):
    late = (cycle.iap_end + dt.timedelta(days=1)).isoformat()
    assert "inside IAP" in errors_for(cycle, org_a, "iap_end", iap_end=late)


def test_it_refuses_an_end_before_the_start(cycle, org_a):
    message = errors_for(
        cycle,
        org_a,
        "iap_end",
        iap_start=(cycle.iap_start + dt.timedelta(days=5)).isoformat(),
        iap_end=(cycle.iap_start + dt.timedelta(days=2)).isoformat(),
    )
    assert "choose a later end date" in message


def test_it_refuses_an_hourly_pay_under_the_minimum_wage(cycle, org_a):
    message = errors_for(cycle, org_a, "pay_amount", pay_amount="12.00")
    assert "under the minimum wage of 15.00" in message


def test_it_follows_the_minimum_wage_setting(cycle, org_a):
    settings_row = ProgramSettings.load()
    settings_row.minimum_wage_hourly = Decimal("25.00")
    settings_row.save()
    assert "minimum wage of 25.00" in errors_for(cycle, org_a, "pay_amount", pay_amount="20.00")


def test_it_refuses_a_stipend_under_the_minimum_wage_per_hour(cycle, org_a):
    message = errors_for(
        cycle, org_a, "pay_amount", pay_unit="stipend", pay_amount="500", stipend_hours="50"
    )
    assert "works out to 10.00 USD per hour" in message


def test_it_asks_for_the_hours_of_a_stipend(cycle, org_a):
    assert "Estimate the total hours" in errors_for(
        cycle, org_a, "stipend_hours", pay_unit="stipend", pay_amount="1000"
    )


def test_it_accepts_an_unpaid_posting_without_an_amount(cycle, org_a):
    form = bound_form(cycle, org_a, is_paid=None, pay_amount="")
    assert form.is_valid(), form.errors


def test_it_refuses_an_alumni_host_without_a_name(cycle, org_a):
    message = errors_for(
        cycle, org_a, "alumni_host_name", alumni_host="on", alumni_class_year="2005"
    )
    assert "alumni host's name" in message


def test_it_refuses_an_alumni_host_without_a_class_year(cycle, org_a):
    message = errors_for(
        cycle, org_a, "alumni_class_year", alumni_host="on", alumni_host_name="Ada"
    )
    assert "class year" in message


def test_it_refuses_a_global_posting_without_a_country(cycle, org_a):
    assert "Name the country" in errors_for(cycle, org_a, "country", is_global="on")


def test_it_refuses_a_global_posting_in_the_us(cycle, org_a):
    message = errors_for(cycle, org_a, "country", is_global="on", country="United States")
    assert "outside the US" in message


def test_it_asks_to_mark_work_abroad_as_global(cycle, org_a):
    assert "tick “global”" in errors_for(cycle, org_a, "is_global", country="France")


def test_it_asks_for_the_city_of_on_site_work(cycle, org_a):
    assert "Give the city" in errors_for(cycle, org_a, "city", location_type="onsite")


def test_it_asks_for_a_field_of_study(cycle, org_a):
    assert "at least one field" in errors_for(cycle, org_a, "fields_of_study", fields_of_study=[])


def material_formset(rows):
    data = {
        "materials-TOTAL_FORMS": str(len(rows)),
        "materials-INITIAL_FORMS": "0",
        "materials-MIN_NUM_FORMS": "0",
        "materials-MAX_NUM_FORMS": "15",
    }
    for i, row in enumerate(rows):
        data.update({f"materials-{i}-{k}": v for k, v in row.items()})
    return MaterialFormSet(data, prefix="materials")


def test_it_refuses_an_extra_material_without_a_label(db):
    formset = material_formset([{"label": "", "kind": "text", "required": "on"}])
    assert not formset.is_valid()
    assert "Give this material a label" in str(formset.errors)


def test_it_ignores_an_untouched_empty_material_row(db):
    formset = material_formset([{"label": "", "kind": "file", "required": "on"}])
    assert formset.is_valid()
    assert formset.specs() == []


def test_it_keeps_the_extra_materials_the_employer_defines(db):
    formset = material_formset([{"label": "Portfolio", "kind": "link"}])
    assert formset.is_valid()
    assert formset.specs() == [services.MaterialSpec("Portfolio", "link", False)]


def test_it_saves_nothing_when_a_material_is_invalid(cycle, employer, org_a):
    form = bound_form(cycle, org_a)
    assert form.is_valid()
    with pytest.raises(ValidationError):
        services.posting_create(
            organization=org_a,
            by=employer,
            values=form.posting_values(),
            materials=[services.MaterialSpec("Portfolio"), services.MaterialSpec("  ")],
        )
    assert not Posting.objects.exists()
    assert not PostingMaterial.objects.exists()


def test_it_refuses_through_the_service_too(cycle, employer, org_a):
    form = bound_form(cycle, org_a)
    assert form.is_valid()
    values = {**form.posting_values(), "pay_amount": Decimal("9.00")}
    with pytest.raises(ValidationError) as caught:
        services.posting_create(organization=org_a, by=employer, values=values)
    assert "pay_amount" in caught.value.message_dict
    assert not Posting.objects.exists()


def test_it_creates_a_draft_with_its_fields_materials_and_history(cycle, employer, org_a):
    form = bound_form(cycle, org_a)
    assert form.is_valid()
    posting = services.posting_create(
        organization=org_a,
        by=employer,
        values=form.posting_values(),
        fields_of_study=form.cleaned_data["fields_of_study"],
        materials=[services.MaterialSpec("Writing sample", "file", True)],
    )
    assert posting.status == "draft"
    assert posting.cycle == cycle
    assert [f.name for f in posting.fields_of_study.all()] == ["Computer Science"]
    assert [m.label for m in posting.materials.all()] == ["Writing sample"]
    assert posting.status_changes.get().to_status == "draft"
    assert "Computer Science" in Posting.objects.get(pk=posting.pk).search_document


def test_it_refuses_to_create_for_another_organization(cycle, other_employer, org_a):
    form = bound_form(cycle, org_a)
    assert form.is_valid()
    with pytest.raises(services.PermissionDenied):
        services.posting_create(organization=org_a, by=other_employer, values=form.posting_values())


def test_it_validates_a_draft_again_when_it_is_submitted(cycle, employer, org_a):
    posting = factories.DraftPostingFactory(organization=org_a)
    Posting.objects.filter(pk=posting.pk).update(pay_amount=Decimal("5.00"))
    with pytest.raises(ValidationError):
        services.posting_submit(posting=posting, by=employer)
    posting.refresh_from_db()
    assert posting.status == "draft"


def test_it_computes_the_hourly_equivalent_of_a_stipend(cycle):
    posting = factories.PostingFactory.build(
        cycle=cycle, pay_unit="stipend", pay_amount=Decimal("1000"), stipend_hours=40
    )
    assert posting.hourly_equivalent() == Decimal("25.00")


def test_it_has_no_hourly_equivalent_when_unpaid(cycle):
    posting = factories.PostingFactory.build(cycle=cycle, is_paid=False, pay_amount=None)
    assert posting.hourly_equivalent() is None


def test_it_duplicates_a_past_posting_into_the_current_cycle(cycle, employer, org_a):
    old_cycle = RecruitingCycle.objects.create(
        name="Old IAP",
        postings_open=dt.date(2020, 9, 16),
        interviews_begin=dt.date(2020, 10, 11),
        offers_begin=dt.date(2020, 10, 25),
        arrangements_begin=dt.date(2020, 11, 1),
        iap_start=dt.date(2021, 1, 6),
        iap_end=dt.date(2021, 1, 31),
    )
    field = FieldOfStudy.objects.get(name="Physics")
    old = factories.ClosedPostingFactory(
        organization=org_a,
        cycle=old_cycle,
        iap_start=dt.date(2021, 1, 10),
        iap_end=dt.date(2021, 1, 20),
        deadline=timezone.make_aware(dt.datetime(2020, 12, 1, 17)),
        fields=[field],
    )
    factories.PostingMaterialFactory(posting=old, label="Portfolio", kind="link")
    copy = services.posting_duplicate(posting=old, by=employer)
    assert (copy.status, copy.cycle, copy.duplicated_from) == ("draft", cycle, old)
    assert cycle.iap_start <= copy.iap_start <= copy.iap_end <= cycle.iap_end
    assert copy.deadline > timezone.now()
    assert [m.label for m in copy.materials.all()] == ["Portfolio"]
    assert list(copy.fields_of_study.all()) == [field]
    copy.full_clean()  # the copy is ready to submit as it is
