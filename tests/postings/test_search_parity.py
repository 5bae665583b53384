"""Keyword search finds the same postings on SQLite (the embedded default) as on PostgreSQL.

The table runs on whichever database is configured: SQLite locally, PostgreSQL in CI, so the
one table holds both to the same answers. On PostgreSQL the last tests also compare
postings.text_search with PostgreSQL itself (to_tsvector, websearch_to_tsquery).
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.urls import reverse

from microintern.portal.demo import seed
from postings import services
from postings.models import Posting
from postings.search import apply_filters, keyword_search, terms_match
from postings.text_search import lexemes
from tests.postings import factories

pytestmark = pytest.mark.django_db

# Demo-like postings: title -> description.
CATALOG = {
    "Robot fleet dashboard": "Build a web dashboard that shows the state of our robots.",
    "Gripper finger design": "Design, 3D-print and test a compliant gripper for fragile parcels.",
    "Battery analysis": "Analyse charge cycles from 40 robots to predict battery wear.",
    "Robotic arm calibration": "Calibrating robotic arms before the spring demo.",
    "Port waiting times": "Forecast vessel waiting times from public AIS data.",
    "Heart-rate signals": "Clean and filter heart-rate signals from our wearable patch.",
    "Patient interviews": "Synthesise twenty patient interviews into design recommendations.",
    "Accessibility audit": "Audit our patient app against WCAG 2.2 and propose fixes.",
    "Housing data story": "Analyses of housing permit data for a data-driven story.",
    "Newsletter test": "Design and run an A/B test on our newsletter sign-up.",
    "Archive digitisation": "Plan the digitisation of our 1970s newspaper archive.",
    "Image analysis survey": "Survey open-source tools for PET image analysis.",
}
ROBOTS = {"Robot fleet dashboard", "Battery analysis", "Robotic arm calibration"}
ALL = set(CATALOG)

# query -> the postings it finds (PostgreSQL's answer, which SQLite must give too)
TABLE = [
    ("robot", ROBOTS),
    ("robots", ROBOTS),
    ("ROBOTIC", ROBOTS),
    ("design", {"Gripper finger design", "Patient interviews", "Newsletter test"}),
    ("designing", {"Gripper finger design", "Patient interviews", "Newsletter test"}),
    # PostgreSQL's English stemmer keeps these two apart ("analysi", "analys"), and so do we.
    ("analysis", {"Battery analysis", "Image analysis survey"}),
    ("analyses", {"Battery analysis", "Housing data story"}),
    ("analysing", {"Battery analysis", "Housing data story"}),
    ("calibrate", {"Robotic arm calibration"}),
    ("interview", {"Patient interviews"}),
    ("patients", {"Patient interviews", "Accessibility audit"}),
    ("heart rate", {"Heart-rate signals"}),
    ("heart-rate", {"Heart-rate signals"}),
    ("data-driven", {"Housing data story"}),
    ("3d", {"Gripper finger design"}),
    ("wcag 2.2", {"Accessibility audit"}),
    ("a/b", {"Newsletter test"}),
    ("1970s", {"Archive digitisation"}),
    ("micro-intern", ALL),
    ("robot battery", {"Battery analysis"}),
    ("robot or vessel", ROBOTS | {"Port waiting times"}),
    ("robots -battery", ROBOTS - {"Battery analysis"}),
    ('"patient interviews"', {"Patient interviews"}),
    ('"interviews patient"', set()),
    ('"state of our robots"', {"Robot fleet dashboard"}),  # "of our": any two words between
    ('"state robots"', set()),
    ("the of and", set()),  # stop words alone: PostgreSQL matches nothing
    ("robo", set()),  # whole words, not substrings
]


@pytest.fixture
def catalog(cycle):
    for title, description in CATALOG.items():
        factories.PublishedPostingFactory(title=title, description=description)


def found(q: str) -> set[str]:
    queryset = apply_filters(Posting.objects.published(), {"q": q})
    return set(queryset.values_list("title", flat=True))


@pytest.mark.parametrize(("q", "expected"), TABLE, ids=[q for q, _ in TABLE])
def test_it_finds_the_same_postings_on_either_database(catalog, q, expected):
    assert found(q) == expected


def test_it_finds_the_demo_robots_whether_one_or_many(client, student):
    seed.run()
    client.force_login(student)
    robot = client.get(reverse("postings:list"), {"q": "robot"}).context["page"].paginator.count
    robots = client.get(reverse("postings:list"), {"q": "robots"}).context["page"].paginator.count
    assert robot == robots >= 5


def test_it_keeps_the_search_terms_when_a_posting_changes(cycle, employer, org_a):
    posting = factories.DraftPostingFactory(organization=org_a, created_by=employer)
    services.posting_update(posting=posting, by=employer, values={"title": "Glacier robots"})
    assert " robot " in Posting.objects.get(pk=posting.pk).search_terms


def test_it_runs_one_query_for_a_search_of_stop_words_alone(catalog, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert found("the") == set()


# --- on PostgreSQL: postings.text_search reads text and queries as PostgreSQL does ----------
DOCUMENTS = [
    *CATALOG.values(),
    "Node.js and ASP.NET, e.g. for U.S. citizens; GPA 3.5, v1.2 or version 1.2.3",
    "C# C++ R&D AI/ML full-time 9am-5pm COVID-19, Jan. 11-29, 2027",
    "students' work at www.mit.edu, jane@mit.edu or https://mit.edu/x?y=1 (1,000 $500 -5 +3)",
    "café résumé naïve foo_bar 3D CAD/CAM x-ray X-rays state-of-the-art Alumni-hosted",
    "I/O /usr/bin don't can't MIT's robots. “quoted” Python3 python-3 3-D US-based",
    "non-profit's a.b-c A/B/C 12:30pm 9 a.m. CS/EE 1st-year data-driven/ML the-A/B 3.5-the",
    "<b>bold</b> **Bold** a&amp;b [text](https://x.org/a) mit.edu-design foo-bar-3 v1.2--",
]
QUERIES = [
    *(q for q, _ in TABLE),
    'robot -"design lab"',
    "robots or cats dogs",
    "a b or c d",
    "or robots",
    "robots or",
    "robots OR -cats",
    "x - y",
    "x -or y",
    '"robot or design"',
    'robot"design',
    '"robots test',
    '"-5 weeks"',
    "lab)or robot",
    "lab:or robot",
    "lab:-robot",
    "lab (or)",
    "state-of-the-art",
    "c++ 3d",
    "-",
    '""',
]


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("compares with PostgreSQL's own full-text search")


def postgres_positions(text: str) -> dict[int, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('english', %s)::text", [text])
        vector = cursor.fetchone()[0]
    return {
        int(position): lexeme.replace("''", "'")
        for lexeme, positions in re.findall(r"'((?:[^']|'')*)':([0-9,]+)", vector)
        for position in positions.split(",")
    }


@pytest.mark.postgres
@pytest.mark.parametrize("text", DOCUMENTS)
def test_it_reads_a_document_as_postgresql_does(postgres, text):
    ours = {i: lexeme for i, lexeme in enumerate(lexemes(text), 1) if lexeme}
    assert ours == postgres_positions(text)


@pytest.mark.postgres
def test_it_reads_each_query_as_postgresql_does(postgres, cycle):
    for text in DOCUMENTS:
        factories.PublishedPostingFactory(title="Document", description=text)
    postings = Posting.objects.published()
    for q in QUERIES:
        by_postgresql, _ = keyword_search(postings, q)
        assert set(postings.filter(terms_match(q))) == set(by_postgresql), q
