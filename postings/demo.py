"""Demo postings: a few organizations (one unverified) and about thirty postings across
states, fields, pay and places, with deadlines relative to today. Idempotent: a posting is
identified by its organization and title, and nothing that exists is touched."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from microintern.cycles.models import RecruitingCycle
from postings.models import (
    CloseReason,
    FieldOfStudy,
    Organization,
    Posting,
    PostingMaterial,
    PostingStatus,
    PostingStatusChange,
)

S = PostingStatus
KENDALL = "Kendall Robotics"

ORGANIZATIONS = {
    "Harbor Analytics": dict(
        website="https://harbor-analytics.example.org",
        email_domain="harbor-analytics.example.org",
        description="Data science consultancy for ports and shipping.",
        verified=True,
    ),
    "Lumen Health": dict(
        website="https://lumenhealth.example.com",
        email_domain="lumenhealth.example.com",
        description="Digital health start-up working on remote patient monitoring.",
        verified=True,
    ),
    "Atlas Climate Lab": dict(
        website="https://atlasclimate.example.eu",
        email_domain="atlasclimate.example.eu",
        description="Climate research non-profit with offices in Europe and Asia.",
        verified=True,
    ),
    "Cambridge Civic Media": dict(
        website="https://civicmedia.example.org",
        email_domain="civicmedia.example.org",
        description="Local newsroom and civic technology lab.",
        verified=True,
    ),
    # Unverified, and its sign-up address does not match its website: the admin flags it.
    "Quickstart Ventures": dict(
        website="https://quickstart-ventures.example.net",
        email_domain="gmail.com",
        description="Says it incubates student start-ups.",
        verified=False,
    ),
}

REMOTE = ("remote", "", "", False)


@dataclass
class Demo:
    org: str
    title: str
    fields: list[str]
    status: str = S.PUBLISHED
    deadline_days: int = 21
    host: tuple[str, int] | None = None
    where: tuple[str, str, str, bool] = REMOTE
    pay: tuple[str, str, int | None] | None = ("20", "hour", None)  # amount, unit, stipend hours
    hours: int = 15
    start: int = 0  # days after the IAP start
    length: int = 18
    extras: list[tuple[str, str, bool]] = field(default_factory=list)
    summary: str = ""
    comment: str = ""


POSTINGS = [
    Demo(
        KENDALL,
        "Robot perception micro-internship",
        ["Computer Science", "Mechanical Engineering"],
        host=("Dana Whitfield", 2009),
        where=("hybrid", "Cambridge", "United States", False),
        pay=("24", "hour", None),
        extras=[("Link to a project you are proud of", "link", False)],
        summary=(
            "Help our perception team label and evaluate a new dataset of warehouse scenes, "
            "then train a small detector and report what works."
        ),
    ),
    Demo(
        KENDALL,
        "Gripper design sprint",
        ["Mechanical Engineering"],
        host=("Dana Whitfield", 2009),
        where=("onsite", "Cambridge", "United States", False),
        pay=("22", "hour", None),
        deadline_days=9,
        summary="Design, 3D-print and test a compliant gripper finger for fragile parcels.",
    ),
    Demo(
        KENDALL,
        "Fleet dashboard prototype",
        ["Computer Science", "Data Science"],
        status=S.DRAFT,
        summary="Build a web dashboard that shows the state of our robot fleet.",
    ),
    Demo(
        KENDALL,
        "Safety test protocol write-up",
        ["Mechanical Engineering", "Humanities and Writing"],
        status=S.SUBMITTED,
        summary="Turn our engineers' notes into a clear safety test protocol.",
    ),
    Demo(
        KENDALL,
        "Battery data analysis",
        ["Electrical Engineering", "Data Science"],
        status=S.CHANGES_REQUESTED,
        comment="Please give the estimated hours per week and the dates.",
        summary="Analyse charge cycles from 40 robots to predict battery wear.",
    ),
    Demo(
        "Harbor Analytics",
        "Port congestion forecasting",
        ["Data Science", "Economics"],
        host=("Priya Natarajan", 2014),
        pay=("25", "hour", None),
        deadline_days=5,
        summary="Forecast vessel waiting times at three US ports from public AIS data.",
    ),
    Demo(
        "Harbor Analytics",
        "Interactive maps for shipping data",
        ["Computer Science", "Data Science"],
        pay=("21", "hour", None),
        deadline_days=30,
        summary="Build interactive maps of shipping routes for our clients' reports.",
    ),
    Demo(
        "Harbor Analytics",
        "Supply chain case study research",
        ["Business and Management", "Economics"],
        pay=("1200", "stipend", 60),
        deadline_days=14,
        summary="Research and write a case study on a supply chain disruption.",
    ),
    Demo(
        "Harbor Analytics",
        "Customs documents text mining",
        ["Computer Science"],
        status=S.CLOSED,
        deadline_days=-4,
        summary="Extract fields from scanned customs documents.",
    ),
    Demo(
        "Lumen Health",
        "Wearable sensor signal processing",
        ["Electrical Engineering", "Biological Engineering"],
        host=("Marcus Bell", 2011),
        where=("hybrid", "Boston", "United States", False),
        pay=("26", "hour", None),
        deadline_days=12,
        summary="Clean and filter heart-rate signals from our wearable patch.",
    ),
    Demo(
        "Lumen Health",
        "Patient interview synthesis",
        ["Brain and Cognitive Sciences", "Humanities and Writing"],
        pay=("20", "hour", None),
        deadline_days=18,
        extras=[("Writing sample (2 pages)", "file", True)],
        summary="Synthesise twenty patient interviews into design recommendations.",
    ),
    Demo(
        "Lumen Health",
        "Clinical trial literature review",
        ["Biology", "Chemistry"],
        pay=None,
        deadline_days=25,
        summary="Review recent clinical trials on remote monitoring for heart failure.",
    ),
    Demo(
        "Lumen Health",
        "Mobile app accessibility audit",
        ["Computer Science", "Media Arts and Design"],
        pay=("22", "hour", None),
        deadline_days=3,
        summary="Audit our patient app against WCAG 2.2 and propose fixes.",
    ),
    Demo(
        "Lumen Health",
        "Regulatory landscape memo",
        ["Policy and Urban Planning"],
        status=S.REJECTED,
        comment="This is a full-time role, not a micro-internship.",
        summary="A memo on FDA rules.",
    ),
    Demo(
        "Atlas Climate Lab",
        "Glacier melt data pipeline",
        ["Earth and Planetary Sciences", "Data Science"],
        host=("Ingrid Solberg", 2005),
        where=("onsite", "Oslo", "Norway", True),
        pay=("2400", "stipend", 100),
        deadline_days=20,
        summary="Build a pipeline that ingests satellite data on Norwegian glaciers.",
    ),
    Demo(
        "Atlas Climate Lab",
        "Urban heat island mapping",
        ["Policy and Urban Planning", "Architecture"],
        where=("hybrid", "Singapore", "Singapore", True),
        pay=("23", "hour", None),
        deadline_days=16,
        summary="Map heat islands in Singapore neighbourhoods and suggest interventions.",
    ),
    Demo(
        "Atlas Climate Lab",
        "Carbon accounting for small farms",
        ["Economics", "Civil and Environmental Engineering"],
        where=("remote", "", "Kenya", True),
        pay=("20", "hour", None),
        deadline_days=27,
        summary="Adapt a carbon accounting method for smallholder farms in Kenya.",
    ),
    Demo(
        "Atlas Climate Lab",
        "Ocean sensor calibration",
        ["Mechanical Engineering", "Physics"],
        where=("onsite", "Lisbon", "Portugal", True),
        pay=None,
        deadline_days=10,
        summary="Calibrate low-cost ocean temperature sensors before deployment.",
    ),
    Demo(
        "Atlas Climate Lab",
        "Wind turbine noise study",
        ["Aeronautics and Astronautics", "Physics"],
        where=("onsite", "Aarhus", "Denmark", True),
        status=S.CLOSED,
        deadline_days=-10,
        summary="Measure and model noise from small wind turbines.",
    ),
    Demo(
        "Cambridge Civic Media",
        "Data journalism on housing",
        ["Data Science", "Humanities and Writing"],
        host=("Rosa Delgado", 1998),
        where=("hybrid", "Cambridge", "United States", False),
        pay=("20", "hour", None),
        deadline_days=8,
        extras=[("Two published clips or class pieces", "link", True)],
        summary="Analyse housing permit data and help write a data-driven story.",
    ),
    Demo(
        "Cambridge Civic Media",
        "Civic chatbot prototype",
        ["Computer Science"],
        host=("Rosa Delgado", 1998),
        pay=("21", "hour", None),
        deadline_days=22,
        summary="Prototype a chatbot that answers questions about city council agendas.",
    ),
    Demo(
        "Cambridge Civic Media",
        "Podcast audio editing",
        ["Media Arts and Design"],
        where=("onsite", "Cambridge", "United States", False),
        pay=("18", "hour", None),
        deadline_days=6,
        summary="Edit and mix four episodes of our local politics podcast.",
    ),
    Demo(
        "Cambridge Civic Media",
        "Election results visualisation",
        ["Computer Science", "Mathematics"],
        pay=("20", "hour", None),
        deadline_days=35,
        summary="Build reusable charts for election nights.",
    ),
    Demo(
        "Cambridge Civic Media",
        "Archive digitisation plan",
        ["Humanities and Writing"],
        pay=None,
        deadline_days=13,
        summary="Plan the digitisation of our 1970s newspaper archive.",
    ),
    Demo(
        "Cambridge Civic Media",
        "Newsletter growth experiment",
        ["Business and Management"],
        status=S.SUBMITTED,
        summary="Design and run an A/B test on our newsletter sign-up.",
    ),
    Demo(
        "Quickstart Ventures",
        "Growth hacking for a stealth start-up",
        ["Business and Management"],
        status=S.SUBMITTED,
        pay=("15", "hour", None),
        summary="Help us grow. Details after you sign an NDA.",
    ),
    Demo(
        "Quickstart Ventures",
        "Pitch deck designer",
        ["Media Arts and Design"],
        status=S.DRAFT,
        pay=None,
        summary="Design pitch decks for our portfolio companies.",
    ),
    Demo(
        "Harbor Analytics",
        "Materials corrosion data review",
        ["Materials Science", "Chemical Engineering"],
        host=("Tomás Ruiz", 2017),
        where=("onsite", "Houston", "United States", False),
        pay=("27", "hour", None),
        deadline_days=11,
        summary="Review corrosion test data for steel used in port cranes.",
    ),
    Demo(
        "Lumen Health",
        "Nuclear medicine imaging tools survey",
        ["Nuclear Science", "Physics"],
        pay=("20", "hour", None),
        deadline_days=19,
        summary="Survey open-source tools for PET image analysis.",
    ),
    Demo(
        "Atlas Climate Lab",
        "Satellite orbit planning notebook",
        ["Aeronautics and Astronautics", "Mathematics"],
        where=("remote", "", "France", True),
        pay=("22", "hour", None),
        deadline_days=24,
        summary="Write a notebook that plans imaging passes of an Earth-observation satellite.",
    ),
]

DESCRIPTION = """{summary}

You will work with a small team and a mentor who meets you at least twice a week. By the end \
of IAP you will present what you built or found to the team.

What you will learn: how a real project is scoped, how to ask for feedback early, and how to \
explain technical work to people outside your field."""


def _deadline(today: dt.date, days: int, cycle: RecruitingCycle) -> dt.datetime:
    # Inside the cycle: before IAP starts (a deadline never falls on or after the start).
    day = min(today + dt.timedelta(days=days), cycle.iap_start - dt.timedelta(days=1))
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59)))


def _create(
    demo: Demo, organization: Organization, cycle: RecruitingCycle, today: dt.date
) -> Posting:
    location_type, city, country, is_global = demo.where
    amount, unit, stipend_hours = demo.pay or (None, "hour", None)
    now = timezone.now()
    status = demo.status
    # Vary the proposed dates a little, deterministically (the same on every run).
    start = demo.start or (len(demo.title) % 4) * 2
    length = demo.length - (len(demo.title) % 3) * 3
    owner = organization.memberships.filter(role="owner").values_list("user_id", flat=True).first()
    posting = Posting.objects.create(
        organization=organization,
        cycle=cycle,
        status=status,
        title=demo.title,
        created_by_id=owner,
        description=DESCRIPTION.format(summary=demo.summary),
        alumni_host=demo.host is not None,
        alumni_host_name=demo.host[0] if demo.host else "",
        alumni_class_year=demo.host[1] if demo.host else None,
        location_type=location_type,
        city=city,
        country=country,
        is_global=is_global,
        is_paid=demo.pay is not None,
        pay_amount=Decimal(amount) if amount else None,
        pay_unit=unit,
        stipend_hours=stipend_hours,
        unpaid_approved=demo.pay is None and status in (S.PUBLISHED, S.CLOSED),
        iap_start=cycle.iap_start + dt.timedelta(days=start),
        iap_end=min(cycle.iap_start + dt.timedelta(days=start + length), cycle.iap_end),
        hours_per_week=demo.hours,
        openings=1 + len(demo.title) % 3,
        deadline=_deadline(today, demo.deadline_days, cycle),
        application_instructions=(
            "Apply with the materials below. We reply to every applicant within a week."
        ),
        submitted_at=None if status == S.DRAFT else now,
        published_at=now if status in (S.PUBLISHED, S.CLOSED) else None,
        closed_at=now if status == S.CLOSED else None,
        close_reason=CloseReason.DEADLINE if status == S.CLOSED else "",
    )
    posting.fields_of_study.set(FieldOfStudy.objects.filter(name__in=demo.fields))
    PostingMaterial.objects.bulk_create(
        PostingMaterial(posting=posting, label=label, kind=kind, required=required, position=i)
        for i, (label, kind, required) in enumerate(demo.extras)
    )
    path = {
        S.DRAFT: [S.DRAFT],
        S.SUBMITTED: [S.DRAFT, S.SUBMITTED],
        S.CHANGES_REQUESTED: [S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED],
        S.REJECTED: [S.DRAFT, S.SUBMITTED, S.REJECTED],
        S.PUBLISHED: [S.DRAFT, S.SUBMITTED, S.PUBLISHED],
        S.CLOSED: [S.DRAFT, S.SUBMITTED, S.PUBLISHED, S.CLOSED],
    }[status]
    PostingStatusChange.objects.bulk_create(
        PostingStatusChange(
            posting=posting,
            from_status=a,
            to_status=b,
            at=now,
            comment=demo.comment if b in (S.CHANGES_REQUESTED, S.REJECTED) else "",
        )
        for a, b in zip(["", *path], path, strict=False)
    )
    posting.refresh_search_fields()
    return posting


def seed_postings(today: dt.date) -> list[str]:
    """Create what is missing; return labels of what was created (for the seed's report)."""
    cycle = RecruitingCycle.objects.current()
    if cycle is None:
        return []
    created: list[str] = []
    organizations = {
        o.name: o for o in Organization.objects.filter(name__in=[KENDALL, *ORGANIZATIONS])
    }
    for name, values in ORGANIZATIONS.items():
        if name not in organizations:
            verified_at = timezone.now() if values["verified"] else None
            organizations[name] = Organization.objects.create(
                name=name, verified_at=verified_at, **values
            )
            created.append(f"organization {name}")
    existing = set(
        Posting.objects.filter(organization__in=organizations.values()).values_list(
            "organization__name", "title"
        )
    )
    count = 0
    for demo in POSTINGS:
        organization = organizations.get(demo.org)
        if organization is None or (demo.org, demo.title) in existing:
            continue
        _create(demo, organization, cycle, today)
        count += 1
    count += (
        _seed_past_cycle(organizations[KENDALL], cycle, today) if KENDALL in organizations else 0
    )
    if count:
        created.append(f"{count} postings")
    return created


def _seed_past_cycle(organization: Organization, cycle: RecruitingCycle, today: dt.date) -> int:
    """Last year's posting of the demo employer, closed: to try "duplicate into the current
    cycle"."""
    defaults = RecruitingCycle.defaults_for_iap_year(cycle.iap_start.year - 1)
    past, _ = RecruitingCycle.objects.get_or_create(name=defaults.pop("name"), defaults=defaults)
    title = "Warehouse mapping micro-internship"
    if Posting.objects.filter(organization=organization, cycle=past, title=title).exists():
        return 0
    demo = Demo(
        KENDALL,
        title,
        ["Computer Science", "Mechanical Engineering"],
        status=S.CLOSED,
        host=("Dana Whitfield", 2009),
        summary="Map a warehouse with a mobile robot and lidar.",
    )
    _create(demo, organization, past, past.postings_open)
    return 1
