"""Seed PostgreSQL at a named scale with `INSERT ... SELECT generate_series`, in a few minutes
at university scale (it is a handful of set-based statements, not a row per round trip).

The rows are shaped like a real cycle in late November: most postings published with their
deadlines ahead, a review queue, applications in every status, offers pending (a few past
their deadline, for the expiry sweep), accepted with arrangements to confirm, declined and
expired; saved postings with deadlines in the next days; a sent inbox per student. Every
constraint of the schema holds (one application per student and posting, one accepted offer
per student and cycle, one live offer per application), so the pages and sweeps meet the
database they will meet in production.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from microintern.accounts.groups import ensure_staff_groups
from microintern.accounts.models import CAPD_STAFF_GROUP, ISO_ADVISORS_GROUP, Role, User
from microintern.cycles.models import RecruitingCycle
from postings.models import LABEL_KEYWORDS

PASSWORD = "bench-scale-pass"
STAFF_EMAIL = "bench-staff@example.edu"
ISO_EMAIL = "bench-iso@example.edu"
ROOT_EMAIL = "bench-root@example.edu"


@dataclass(frozen=True)
class Scale:
    name: str
    organizations: int
    students: int
    postings: int
    applications_per_student: int  # applications = students x this
    saved_per_student: int
    notifications_per_student: int

    @property
    def applications(self) -> int:
        return self.students * self.applications_per_student


SCALES = {
    # The university: 301 organizations, 20,000 students, 100,000 postings,
    # 200,000 applications, about 100,000 offers.
    "university": Scale("university", 301, 20_000, 100_000, 10, 1, 5),
    "small": Scale("small", 31, 2_000, 10_000, 10, 1, 5),
}

TOPICS = [
    "robot", "climate", "museum", "finance", "genome", "bridge", "podcast", "battery",
    "satellite", "housing", "vaccine", "language", "policy", "ocean", "energy", "archive",
    "sensor", "market", "health", "design",
]  # fmt: skip
NOUNS = [
    "data pipeline", "field study", "prototype", "literature review", "dashboard",
    "interview synthesis", "calibration", "audit", "survey", "visualisation", "model",
    "benchmark", "case study", "toolkit", "map",
]  # fmt: skip


def _sql(statement: str, params: dict | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or {})


def _current_cycle() -> RecruitingCycle:
    today = timezone.localdate()
    year = today.year if today <= dt.date(today.year, 1, 31) else today.year + 1
    defaults = RecruitingCycle.defaults_for_iap_year(year)
    name = defaults.pop("name")
    RecruitingCycle.objects.filter(is_current=True).exclude(name=name).update(is_current=False)
    cycle, _ = RecruitingCycle.objects.update_or_create(
        name=name, defaults={**defaults, "is_current": True}
    )
    return cycle


def _staff(password: str) -> None:
    groups = ensure_staff_groups()
    for email, name, group in (
        (STAFF_EMAIL, "Bench Staff", CAPD_STAFF_GROUP),
        (ISO_EMAIL, "Bench ISO", ISO_ADVISORS_GROUP),
    ):
        user = User.objects.create(
            email=email, full_name=name, role=Role.STAFF, is_staff=True, password=password
        )
        user.groups.add(groups[group])
    User.objects.create(
        email=ROOT_EMAIL,
        full_name="Bench Root",
        role=Role.STAFF,
        is_staff=True,
        is_superuser=True,
        password=password,
    )


@transaction.atomic
def seed(scale: Scale) -> dict[str, int]:
    """Fill an empty, migrated database. Returns the row counts of the main tables."""
    password = make_password(PASSWORD)  # one hash for everyone: only logins pay for it
    cycle = _current_cycle()
    _staff(password)
    now = timezone.now()
    params = {
        "password": password,
        "now": now,
        "cycle": cycle.pk,
        "iap_start": cycle.iap_start,
        "iap_end": cycle.iap_end,
        "orgs": scale.organizations,
        "students": scale.students,
        "postings": scale.postings,
        "per_student": scale.applications_per_student,
        "labels": LABEL_KEYWORDS,
        "topics": TOPICS,
        "nouns": NOUNS,
    }

    # Students, their profiles; one owner per organization.
    _sql(
        """INSERT INTO accounts_user (password, is_superuser, is_staff, is_active, date_joined,
               email, full_name, role)
           SELECT %(password)s, false, false, true, %(now)s, 'student' || g || '@bench.example.edu',
               'Student ' || g, 'student'
           FROM generate_series(1, %(students)s) g""",
        params,
    )
    _sql(
        """INSERT INTO accounts_studentprofile (degree_level, field_of_study, class_year,
               updated_at, user_id, notify_new_postings, github_url, graduation_term,
               linkedin_url, minor, portfolio_url, pronouns, summary, preferred_name)
           SELECT (ARRAY['undergraduate','masters','phd'])[1 + u.id %% 3],
               (SELECT name FROM postings_fieldofstudy f ORDER BY f.id
                OFFSET u.id %% (SELECT count(*) FROM postings_fieldofstudy) LIMIT 1),
               2026 + (u.id %% 4)::int, %(now)s, u.id, false, '', '', '', '', '', '',
               'A student of the benchmark.', ''
           FROM accounts_user u WHERE u.role = 'student'""",
        params,
    )
    _sql(
        """INSERT INTO postings_organization (name, website, email_domain, description, verified,
               verified_at, created_at)
           SELECT 'Organization ' || g, 'https://org' || g || '.example.com',
               'org' || g || '.example.com', 'An employer of the benchmark.', true, %(now)s,
               %(now)s
           FROM generate_series(1, %(orgs)s) g""",
        params,
    )
    _sql(
        """INSERT INTO accounts_user (password, is_superuser, is_staff, is_active, date_joined,
               email, full_name, role)
           SELECT %(password)s, false, false, true, %(now)s, 'owner@' || o.email_domain,
               'Owner of ' || o.name, 'employer'
           FROM postings_organization o""",
        params,
    )
    _sql(
        """INSERT INTO postings_membership (role, is_alumni, created_at, user_id, organization_id)
           SELECT 'owner', false, %(now)s, u.id, o.id
           FROM postings_organization o JOIN accounts_user u ON u.email = 'owner@' || o.email_domain
        """,
        params,
    )

    # Verified addresses, as allauth keeps them: sign-in asks for a verified email.
    _sql(
        """INSERT INTO account_emailaddress (email, verified, "primary", user_id)
           SELECT u.email, true, true, u.id FROM accounts_user u"""
    )

    # Postings: 90% published with deadlines over the next 60 days, 3% in the review queue,
    # the rest closed. Organization g mod orgs, its owner as author.
    _sql(
        """CREATE TEMP TABLE bench_orgs AS
           SELECT row_number() OVER (ORDER BY o.id) - 1 AS n, o.id, o.name, m.user_id
           FROM postings_organization o JOIN postings_membership m ON m.organization_id = o.id"""
    )
    _sql(
        """INSERT INTO postings_posting (status, title, description, description_format,
               alumni_host, alumni_host_name, location_type, city, country, is_global, is_paid,
               pay_amount, pay_unit, unpaid_approved, iap_start, iap_end, hours_per_week,
               openings, deadline, application_instructions, requires_resume,
               requires_cover_letter, close_reason, search_document, search_terms, created_at,
               updated_at, submitted_at, published_at, closed_at, created_by_id, cycle_id,
               organization_id)
           SELECT s.status, s.title, s.description, 'plain', g %% 7 = 0,
               CASE WHEN g %% 7 = 0 THEN 'An alum' ELSE '' END,
               (ARRAY['remote','on_site','hybrid'])[1 + g %% 3], 'Cambridge',
               CASE WHEN g %% 11 = 0 THEN 'France' ELSE 'United States' END, g %% 11 = 0,
               g %% 9 <> 0, CASE WHEN g %% 9 <> 0 THEN 20 + g %% 11 END, 'hour', g %% 9 = 0,
               %(iap_start)s, %(iap_end)s, 10, 1,
               %(now)s + ((1 + g %% 60) * interval '1 day' + (g %% 24) * interval '1 hour'),
               '', true, false, CASE WHEN s.status = 'closed' THEN 'deadline' ELSE '' END,
               s.title || E'\n' || o.name || E'\n' || s.description
                   || CASE WHEN g %% 7 = 0 THEN E'\nalumni host' ELSE '' END
                   || E'\n' || %(labels)s,
               '', %(now)s - interval '70 days', %(now)s - interval '60 days',
               %(now)s - ((1 + g %% 60) * interval '1 day'),
               CASE WHEN s.status IN ('published','closed')
                    THEN %(now)s - ((g %% 60) * interval '1 day') END,
               CASE WHEN s.status = 'closed' THEN %(now)s - interval '1 day' END,
               o.user_id, %(cycle)s, o.id
           FROM generate_series(1, %(postings)s) g
           JOIN bench_orgs o ON o.n = g %% %(orgs)s
           CROSS JOIN LATERAL (SELECT
               CASE WHEN g %% 100 < 90 THEN 'published' WHEN g %% 100 < 93 THEN 'submitted'
                    ELSE 'closed' END AS status,
               initcap((%(topics)s::text[])[1 + g %% 20]) || ' '
                   || (%(nouns)s::text[])[1 + (g / 20) %% 15] || ' ' || g AS title,
               'Help our team with a ' || (%(nouns)s::text[])[1 + (g / 20) %% 15] || ' on '
                   || (%(topics)s::text[])[1 + g %% 20] || ' and '
                   || (%(topics)s::text[])[1 + (g / 7) %% 20]
                   || '. You will work with a mentor for two to four weeks in January, '
                   || 'share your results with the team and present them at the end.'
                   AS description
           ) s""",
        params,
    )
    _sql(
        """INSERT INTO postings_posting_fields_of_study (posting_id, fieldofstudy_id)
           SELECT p.id, f.id FROM postings_posting p
           JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM postings_fieldofstudy) f
             ON f.n = p.id %% (SELECT count(*) FROM postings_fieldofstudy)"""
    )
    _sql(
        """INSERT INTO postings_postingstatuschange (from_status, to_status, at, comment,
               posting_id)
           SELECT 'draft', 'submitted', p.submitted_at, '', p.id FROM postings_posting p
           UNION ALL
           SELECT 'submitted', 'published', p.published_at, '', p.id FROM postings_posting p
           WHERE p.published_at IS NOT NULL"""
    )

    # Applications: each student applies to `per_student` published postings, spread so that
    # no pair repeats; statuses by the application's number within the student's list.
    _sql(
        """CREATE TEMP TABLE bench_published AS
           SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM postings_posting
           WHERE status = 'published'"""
    )
    _sql(
        """CREATE TEMP TABLE bench_students AS
           SELECT row_number() OVER (ORDER BY id) AS s, id FROM accounts_user
           WHERE role = 'student'"""
    )
    _sql(
        """INSERT INTO applications_application (status, cover_letter_text, submitted_at,
               updated_at, posting_id, student_id, profile_snapshot)
           SELECT CASE
                    WHEN j = 1 AND st.s %% 4 = 0 THEN 'hired'
                    WHEN j <= 5 THEN 'offered'
                    WHEN j = 6 THEN 'interviewing'
                    WHEN j = 7 THEN 'under_review'
                    WHEN j = 8 THEN 'not_selected'
                    WHEN j = 9 THEN 'withdrawn'
                    ELSE 'submitted' END,
               'I would love to help.', %(now)s - (((st.s + j) %% 40) * interval '1 day'),
               %(now)s, p.id, st.id,
               jsonb_build_object('name', 'Student ' || st.s, 'majors', '[]'::jsonb,
                   'links', '[]'::jsonb)
           FROM bench_students st
           CROSS JOIN generate_series(1, %(per_student)s) j
           JOIN bench_published p
             ON p.n = (st.s * 31 + j * 9973) %% (SELECT count(*) FROM bench_published)""",
        params,
    )
    _sql(
        """INSERT INTO applications_applicationstatuschange (from_status, to_status, at,
               message_to_student, application_id)
           SELECT '', 'submitted', a.submitted_at, '', a.id FROM applications_application a
           UNION ALL
           SELECT 'submitted', 'under_review', a.submitted_at + interval '2 days', '', a.id
           FROM applications_application a WHERE a.status <> 'submitted'"""
    )

    # Offers on offered and hired applications: hired -> accepted; offered -> pending (1% past
    # their deadline, for the expiry sweep), declined or expired. Arrangements for accepted.
    _sql(
        """INSERT INTO offers_offer (status, pay_hourly, start_date, end_date, hours_per_week,
               message, decision_window_days, decision_days_total, extended_at, deadline,
               decided_at, decline_reason, rescind_reason, updated_at, application_id, cycle_id,
               student_id, no_interview_reason)
           SELECT o.status, 22, %(iap_start)s, %(iap_end)s, 10, '', 5, 5,
               %(now)s - interval '3 days',
               CASE WHEN o.status = 'pending' AND a.id %% 100 = 0
                    THEN %(now)s - interval '1 hour'
                    ELSE %(now)s + ((1 + a.id %% 6) * interval '1 day') END,
               CASE WHEN o.status <> 'pending' THEN %(now)s - interval '1 day' END,
               '', '', %(now)s, a.id, %(cycle)s, a.student_id, ''
           FROM applications_application a
           CROSS JOIN LATERAL (SELECT CASE
               WHEN a.status = 'hired' THEN 'accepted'
               WHEN a.id %% 5 = 0 THEN 'declined'
               WHEN a.id %% 5 = 1 THEN 'expired'
               ELSE 'pending' END AS status) o
           WHERE a.status IN ('offered', 'hired')""",
        params,
    )
    _sql(
        """INSERT INTO offers_arrangement (status, start_date, end_date, hours_per_week,
               work_mode, place, supervisor_name, supervisor_email, notes, outside_iap_allowed,
               proposed_side, proposed_at, confirmed_at, created_at, updated_at, offer_id)
           SELECT (ARRAY['to_arrange','proposed','confirmed'])[1 + o.id %% 3],
               %(iap_start)s, %(iap_end)s, 10, 'remote', '', 'A supervisor', '', '', false,
               CASE WHEN o.id %% 3 = 1 THEN 'employer' ELSE '' END,
               CASE WHEN o.id %% 3 >= 1 THEN %(now)s END,
               CASE WHEN o.id %% 3 = 2 THEN %(now)s END, %(now)s, %(now)s, o.id
           FROM offers_offer o WHERE o.status = 'accepted'""",
        params,
    )

    # Saved postings (deadlines ahead) and a read inbox per student.
    _sql(
        """INSERT INTO postings_savedposting (created_at, posting_id, user_id)
           SELECT %(now)s, p.id, st.id FROM bench_students st
           JOIN bench_published p ON p.n = (st.s * 17) %% (SELECT count(*) FROM bench_published)
        """,
        params,
    )
    _sql(
        """INSERT INTO notifications_notification (kind, dedup_key, subject, body_text, body_html,
               url, attachment_name, attachment_content, attachment_mimetype, email_state,
               attempts, sent_at, last_error, created_at, read_at, recipient_id, to_email)
           SELECT 'application_status', 'bench:' || st.id || ':' || k, 'Your application moved',
               'Your application moved to under review.', '<p>Your application moved.</p>',
               '/applications/', '', '', '', 'sent', 1, %(now)s, '',
               %(now)s - ((k) * interval '1 day'), CASE WHEN k > 1 THEN %(now)s END, st.id,
               'student' || st.s || '@bench.example.edu'
           FROM bench_students st CROSS JOIN generate_series(1, %(per_student)s / 2) k""",
        params,
    )
    for table in ("bench_orgs", "bench_published", "bench_students"):
        _sql(f"DROP TABLE {table}")
    return counts()


def counts() -> dict[str, int]:
    tables = {
        "organizations": "postings_organization",
        "students": "accounts_studentprofile",
        "postings": "postings_posting",
        "applications": "applications_application",
        "offers": "offers_offer",
        "arrangements": "offers_arrangement",
        "saved postings": "postings_savedposting",
        "notifications": "notifications_notification",
    }
    found = {}
    with connection.cursor() as cursor:
        for label, table in tables.items():
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - names above
            found[label] = cursor.fetchone()[0]
    return found


def analyze() -> None:
    """Statistics and the visibility map, as autovacuum leaves a database that has been
    running: right after a bulk load no page is marked all-visible, so every count and
    index-only scan reads the table too (the postings list measured 134 ms at university
    scale just after seeding, 59 ms once autovacuum had passed)."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
