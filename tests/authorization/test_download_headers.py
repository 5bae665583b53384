"""Checklist documents (immigration papers) leave the portal as attachments that browsers
never sniff and nothing caches."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from authorization import services
from authorization.models import AuthorizationCase
from tests.authorization.helpers import pdf_bytes, upload


def test_it_sends_a_checklist_document_as_an_uncached_attachment_never_sniffed(
    client: Client, case: AuthorizationCase, intl_student, iso_advisor
) -> None:
    item = services.checklist_item_attach_document(
        item=case.items.order_by("position").first(),
        student=intl_student,
        upload=upload(pdf_bytes()),
    )
    client.force_login(iso_advisor)

    response = client.get(reverse("authorization:document", args=[item.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
