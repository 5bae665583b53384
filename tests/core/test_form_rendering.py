"""The form renderer names both inputs of a split date and time, and puts no aria-* on
hidden inputs (microintern/core/form_rendering.py)."""

from __future__ import annotations

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime


class DeadlineForm(forms.Form):
    deadline = forms.SplitDateTimeField(label="Application deadline", widget=AdminSplitDateTime)
    timezone = forms.CharField(
        help_text="Where the clock is.",
        initial=lambda: "America/New_York",
        show_hidden_initial=True,
    )


def test_it_names_the_date_and_the_time_input_after_the_field() -> None:
    html = str(DeadlineForm()["deadline"])

    assert 'aria-label="Application deadline: date"' in html
    assert 'aria-label="Application deadline: time"' in html


def test_it_leaves_the_form_s_own_widget_as_it_was() -> None:
    form = DeadlineForm()
    str(form["deadline"])

    assert all("aria-label" not in w.attrs for w in form.fields["deadline"].widget.widgets)


def test_a_hidden_input_has_no_aria_describedby() -> None:
    html = str(DeadlineForm()["timezone"])

    visible, hidden = html.split('<input type="hidden"')
    assert 'aria-describedby="id_timezone_helptext"' in visible
    assert "aria-" not in hidden
