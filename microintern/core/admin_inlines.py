"""A tabular inline whose inputs have names.

Django's tabular inline names each column once, in the table's header, and renders the
inputs of its rows with no label (axe: "Form elements must have labels", critical): a screen
reader meets a row of unnamed boxes. `LabelledTabularInline` names each input after its
column (`aria-label`), the "Delete" box included. Inlines whose rows are read-only render no
inputs and need nothing.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.forms.models import BaseInlineFormSet


class LabelledInlineFormSet(BaseInlineFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        for name, field in form.fields.items():
            # A related field's wrapper (the add and change links) renders the widget inside.
            widget = getattr(field.widget, "widget", field.widget)
            if not widget.is_hidden:  # the row's id and parent: nothing to name
                widget.attrs.setdefault("aria-label", str(field.label or name))


class LabelledTabularInline(admin.TabularInline):
    formset = LabelledInlineFormSet
