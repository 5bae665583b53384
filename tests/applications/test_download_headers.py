"""Application materials leave the portal as attachments that browsers never sniff and
nothing caches, whether Django streams them or nginx does (X-Accel-Redirect)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.applications import factories


@pytest.fixture
def material(application):
    return factories.ResumeMaterialFactory(application=application)


@pytest.mark.parametrize("accel_prefix", ["", "/protected-media/"], ids=["django", "nginx"])
def test_it_sends_a_material_as_an_uncached_attachment_never_sniffed(
    client: Client, employer, material, settings, accel_prefix: str
) -> None:
    settings.PRIVATE_MEDIA_ACCEL_PREFIX = accel_prefix
    client.force_login(employer)

    response = client.get(reverse("applications:document", args=[material.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
