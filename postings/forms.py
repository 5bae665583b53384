"""Forms for postings: they validate and lay themselves out; the services save."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.http import QueryDict

from postings import choices
from postings.models import (
    AlertFrequency,
    FieldOfStudy,
    LocationType,
    MaterialKind,
    Posting,
    PostingMaterial,
)
from postings.terms import POSTING_TERMS, MaterialSpec


class PostingForm(forms.ModelForm):
    """The employer's posting form. The model's rules (dates in the IAP window, minimum
    wage, alumni host, global country) run in `Posting.clean` through ModelForm validation,
    so each error lands on the field it concerns."""

    fields_of_study = forms.ModelMultipleChoiceField(
        queryset=FieldOfStudy.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=True,
        error_messages={"required": "Choose at least one field of study."},
        help_text="Students filter by these; international students must match their major.",
    )

    class Meta:
        model = Posting
        fields = [*POSTING_TERMS[:3], "fields_of_study", *POSTING_TERMS[3:]]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "application_instructions": forms.Textarea(attrs={"rows": 4}),
            "description_format": forms.RadioSelect,
            "location_type": forms.RadioSelect,
            "pay_unit": forms.RadioSelect,
            "iap_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "iap_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "deadline": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }
        labels = {
            "deadline": "Application deadline (Eastern Time)",
            "pay_amount": "Pay (USD)",
            "description_format": "Description format",
        }
        help_texts = {
            "description_format": (
                "Markdown is shown with headings, lists and links; raw HTML is removed."
            ),
            "pay_amount": "Per hour, or the total stipend.",
            "iap_start": "Inside IAP (January).",
            "country": "Required for global postings.",
            "requires_resume": "Untick if you do not need one.",
            "requires_cover_letter": "Untick if you do not need one.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deadline"].input_formats = [
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%d %H:%M",
            "%Y-%m-%d %H:%M:%S",
        ]
        cycle = self.instance.cycle if self.instance.cycle_id else None
        if cycle:
            window = f"Between {cycle.iap_start:%b %-d} and {cycle.iap_end:%b %-d, %Y}."
            self.fields["iap_start"].help_text = window
            self.fields["iap_end"].help_text = window
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(
                "The project", "title", "description", "description_format", "fields_of_study"
            ),
            Fieldset(
                "Alumni host",
                "alumni_host",
                Div("alumni_host_name", "alumni_class_year", css_class="ms-4"),
            ),
            Fieldset("Where", "location_type", "city", "country", "is_global"),
            Fieldset("Pay", "is_paid", "pay_amount", "pay_unit", "stipend_hours"),
            Fieldset("When", "iap_start", "iap_end", "hours_per_week", "openings", "deadline"),
            Fieldset(
                "Applying", "application_instructions", "requires_resume", "requires_cover_letter"
            ),
        )

    def posting_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in POSTING_TERMS}


class MaterialForm(forms.Form):
    label = forms.CharField(
        max_length=150, required=False, help_text="For example “Writing sample”."
    )
    kind = forms.ChoiceField(choices=MaterialKind.choices, initial=MaterialKind.FILE)
    required = forms.BooleanField(required=False, initial=True)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if (
            self.has_changed()
            and not cleaned.get("DELETE")
            and not (cleaned.get("label") or "").strip()
        ):
            self.add_error(
                "label", "Give this material a label, for example “Writing sample”, or remove it."
            )
        return cleaned


class BaseMaterialFormSet(forms.BaseFormSet):
    def specs(self) -> list[MaterialSpec]:
        return [
            MaterialSpec(
                form.cleaned_data["label"].strip(),
                form.cleaned_data["kind"],
                form.cleaned_data["required"],
            )
            for form in self.forms
            if form.has_changed()
            and form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("label", "").strip()
        ]


MaterialFormSet = forms.formset_factory(
    MaterialForm,
    formset=BaseMaterialFormSet,
    extra=2,
    can_delete=True,
    can_delete_extra=False,  # an empty new row has nothing to remove
    max_num=15,
    validate_max=True,
)


def material_initial(materials: list[PostingMaterial]) -> list[dict[str, Any]]:
    return [{"label": m.label, "kind": m.kind, "required": m.required} for m in materials]


class FlagInput(forms.CheckboxInput):
    """A checkbox that hands its value over as sent (CheckboxInput turns any text into True)."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name) if name in data else False


class FilterFlag(forms.BooleanField):
    """A checkbox filter in the URL: "on" (what the page sends) and the usual spellings of yes
    and no; anything else is a bad value, not a yes."""

    widget = FlagInput

    TRUE = frozenset({"on", "1", "true", "yes"})
    FALSE = frozenset({"", "0", "false", "no", "off"})

    def to_python(self, value: Any) -> bool:
        if isinstance(value, bool) or value is None:
            return bool(value)
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError("Not a yes or no.", code="invalid")


class FieldOfStudyChoice(forms.ModelChoiceField):
    """A field of study by its slug. Given the fields already loaded (`known`), it looks
    nothing up, so a page can check many saved searches with one query."""

    known: dict[str, FieldOfStudy] | None = None

    def to_python(self, value: Any) -> FieldOfStudy | None:
        if self.known is None or value in self.empty_values:
            return super().to_python(value)
        try:
            return self.known[str(value)]
        except KeyError:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None


@dataclass(frozen=True)
class IgnoredFilter:
    """A filter whose value is not valid (a mistyped link, a field of study since removed)."""

    name: str
    label: str
    value: str

    def __str__(self) -> str:
        return f"{self.label} “{self.value}”"


class PostingSearchForm(forms.Form):
    """The list page's filters, in the URL (GET). A bad value costs only its own filter:
    `filters()` keeps every valid one and `ignored()` names the others, so the list never
    widens to everything because of one stale parameter."""

    SORTS = [("relevance", "Best match"), ("deadline", "Deadline soonest"), ("newest", "Newest")]
    SCOPES = [
        ("", "Domestic and global"),
        ("domestic", "Domestic (US)"),
        ("global", "Global (MISTI)"),
    ]
    WITHIN = [
        ("", "Any deadline"),
        ("3", "Within 3 days"),
        ("7", "Within 7 days"),
        ("14", "Within 14 days"),
        ("30", "Within 30 days"),
    ]

    q = forms.CharField(
        label="Keywords",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "micro-intern"}),
    )
    alumni = FilterFlag(label="Alumni host", required=False)
    paid = FilterFlag(label="Paid only", required=False)
    location = forms.MultipleChoiceField(
        label="Location",
        required=False,
        choices=LocationType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    scope = forms.ChoiceField(label="Domestic or global", required=False, choices=SCOPES)
    field = FieldOfStudyChoice(
        label="Field of study",
        required=False,
        empty_label="Any field",
        queryset=FieldOfStudy.objects.all(),
        to_field_name="slug",
    )
    within = forms.ChoiceField(label="Deadline", required=False, choices=WITHIN)
    sort = forms.ChoiceField(label="Sort by", required=False, choices=SORTS)

    def __init__(
        self,
        *args: Any,
        fields_of_study: Iterable[FieldOfStudy] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name in ("scope", "field", "within", "sort"):
            self.fields[name].widget.attrs["class"] = "form-select"
        # The choices come from the cache (postings.choices) or the caller: rendering or
        # checking the form reads no field of study from the database.
        if fields_of_study is None:
            fields_of_study = choices.fields_of_study()
        field = self.fields["field"]
        field.known = {row.slug: row for row in fields_of_study}
        field.choices = [
            ("", field.empty_label),
            *((row.slug, row.name) for row in fields_of_study),
        ]
        # Several locations may be ticked: an unknown one is dropped, the others kept.
        self._dropped: list[IgnoredFilter] = []
        if self.is_bound and hasattr(self.data, "getlist"):
            sent = self.data.getlist("location")
            known = {value for value, _ in LocationType.choices}
            unknown = [value for value in sent if value not in known]
            if unknown:
                self.data = self.data.copy()
                self.data.setlist("location", [value for value in sent if value in known])
                label = str(self.fields["location"].label)
                self._dropped.append(IgnoredFilter("location", label, ", ".join(unknown)))

    def filters(self) -> dict[str, Any]:
        """The valid filters (cleaned), without the ignored ones; none for an unbound form."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if name not in self.errors}

    def ignored(self) -> list[IgnoredFilter]:
        """The filters left out because their value is not valid, in the form's order."""
        if not self.is_bound:
            return []
        self.is_valid()
        ignored = list(self._dropped)
        for name, field in self.fields.items():
            if name not in self.errors:
                continue
            values = self.data.getlist(name) if hasattr(self.data, "getlist") else []
            value = ", ".join(values) if values else str(self.data.get(name, ""))
            if len(value) > 60:
                value = value[:59] + "…"
            ignored.append(IgnoredFilter(name=name, label=str(field.label), value=value))
        return sorted(ignored, key=lambda item: list(self.fields).index(item.name))

    def valid_query(self) -> QueryDict:
        """The query as sent, less what was ignored: for the page links and saving the search."""
        query = self.data.copy() if isinstance(self.data, QueryDict) else QueryDict(mutable=True)
        self.is_valid()
        for name in self.errors:
            query.pop(name, None)
        return query


class SavedSearchForm(forms.Form):
    name = forms.CharField(label="Name this search", max_length=150, required=False)
    frequency = forms.ChoiceField(
        label="Email me new matches", choices=AlertFrequency.choices, initial=AlertFrequency.WEEKLY
    )
    query_string = forms.CharField(widget=forms.HiddenInput, required=False, max_length=1000)


class ModerationForm(forms.Form):
    """The admin's confirmation page for approve / request changes / reject."""

    comment = forms.CharField(
        label="Comment to the employer", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    unpaid_approved = forms.BooleanField(
        label="Unpaid approved: I reviewed the unpaid postings selected and CAPD allows them",
        required=False,
    )

    def __init__(self, *args: Any, comment_required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = comment_required


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Colleague's email address")
