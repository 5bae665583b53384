"""The booking page's two forms: the choices that narrow the open times (GET), and the
booking itself (POST). They validate; the services decide."""

from __future__ import annotations

from django import forms

from microintern.advising.models import AppointmentFormat, Topic

TOPIC_CHOICES = [("", "Choose a topic"), *Topic.choices]
FORMAT_CHOICES = [("", "Any format"), *AppointmentFormat.choices]


class SlotFilterForm(forms.Form):
    """What the appointment is about and which times to show. A GET: it never books."""

    topic = forms.ChoiceField(label="Topic", choices=TOPIC_CHOICES, required=False)
    about = forms.ChoiceField(label="About (optional)", required=False)
    format = forms.ChoiceField(label="Format", choices=FORMAT_CHOICES, required=False)
    adviser = forms.ChoiceField(label="Adviser", required=False)

    def __init__(
        self,
        *args: object,
        about_choices: list[tuple[str, str]],
        adviser_choices: list[tuple[str, str]],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["about"].choices = [("", "Nothing in particular"), *about_choices]
        self.fields["adviser"].choices = [("", "Any adviser"), *adviser_choices]

    def value(self, name: str) -> str:
        """The cleaned choice, or "" for anything not among the choices."""
        self.is_valid()  # one field's bad value leaves the others' choices standing
        return self.cleaned_data.get(name) or ""


class BookingForm(forms.Form):
    topic = forms.ChoiceField(choices=Topic.choices, widget=forms.HiddenInput)
    about = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    slot = forms.IntegerField(
        min_value=1,
        max_value=2**62,
        error_messages={"required": "Choose one of the open times."},
    )
    message = forms.CharField(
        label="What would you like help with?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say in a sentence or two what you would like help with."},
        help_text="Your adviser reads this before you meet.",
    )


class MoveForm(forms.Form):
    slot = forms.IntegerField(
        min_value=1, max_value=2**62, error_messages={"required": "Choose one of the open times."}
    )


class CancelForm(forms.Form):
    message = forms.CharField(
        label="A message for your adviser (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
