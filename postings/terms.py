"""What an employer writes in a posting: the fields of its terms and the extra materials it
asks applicants for. The posting form builds these; the posting services take them."""

from __future__ import annotations

from dataclasses import dataclass

from postings.models import MaterialKind

POSTING_TERMS = [
    "title",
    "description",
    "description_format",
    "alumni_host",
    "alumni_host_name",
    "alumni_class_year",
    "location_type",
    "city",
    "country",
    "is_global",
    "is_paid",
    "pay_amount",
    "pay_unit",
    "stipend_hours",
    "iap_start",
    "iap_end",
    "hours_per_week",
    "openings",
    "deadline",
    "application_instructions",
    "requires_resume",
    "requires_cover_letter",
]


@dataclass(frozen=True)
class MaterialSpec:
    """An extra application material, as the employer describes it."""

    label: str
    kind: str = MaterialKind.FILE
    required: bool = True
