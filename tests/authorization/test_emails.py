"""Each authorization notification renders in plain text and HTML, without escaping damage."""

from __future__ import annotations

import pytest

from authorization.models import AuthorizationCase
from microintern.notifications.models import EmailState, Notification


@pytest.mark.parametrize("recipient", ["arjun@example.edu", "irene@example.edu"])
def test_it_renders_the_case_opened_email(case: AuthorizationCase, recipient: str) -> None:
    notification = Notification.objects.get(
        kind="authorization_case_opened", recipient__email=recipient
    )

    assert notification.email_state != EmailState.FAILED
    assert "&#x27;" not in notification.subject + notification.body_text
    assert notification.body_html.startswith("<!DOCTYPE html>")


def test_it_lists_the_checklist_in_the_students_email(case: AuthorizationCase) -> None:
    notification = Notification.objects.get(
        kind="authorization_case_opened", recipient=case.student
    )

    assert "- Get the CPT support letter from your department (due Dec 9, 2026)" in (
        notification.body_text
    )
