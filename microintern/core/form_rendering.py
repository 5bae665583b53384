"""The project's form renderer (settings.FORM_RENDERER): Django's, with three fixes to how every
field renders, the admin's and allauth's included (the renderer's `bound_field_class`, new in
Django 5.2, reaches every form).

1. No `aria-describedby` on a hidden input. Django 5.2 gives a field with help text
   `aria-describedby` on every widget it renders, the hidden ones included: the
   `initial-...` input of a field whose default is callable (the admin renders those), or a
   field shown as hidden. HTML forbids `aria-*` on `<input type=hidden>`.
2. A name for each input of a split date and time. Django's `SplitDateTimeWidget` (the
   admin's `AdminSplitDateTime` above all) renders two inputs under one label that points at
   neither ("Date:" and "Time:" are plain text), so a screen reader meets two unnamed boxes
   (axe: "Form elements must have labels", critical). Each input is named after its field:
   "Application deadline: date", "Application deadline: time".
3. No `disabled` on the user admin's password summary, a <div> (HTML allows it on form
   controls only).
"""

from __future__ import annotations

import copy
from typing import Any

from django.contrib.auth.forms import ReadOnlyPasswordHashWidget
from django.forms import BoundField, SplitDateTimeWidget, Widget
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import SafeString

SPLIT_DATETIME_PARTS = ("date", "time")


class PortalBoundField(BoundField):
    def build_widget_attrs(self, attrs: dict[str, Any], widget: Widget | None = None) -> dict:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if widget.is_hidden:
            attrs.pop("aria-describedby", None)
        if isinstance(widget, ReadOnlyPasswordHashWidget):
            # The password summary is a <div>, where HTML has no `disabled`; the field stays
            # disabled (the form ignores what is posted for it), only the markup is fixed.
            attrs.pop("disabled", None)
        return attrs

    def as_widget(
        self, widget: Widget | None = None, attrs: dict | None = None, only_initial: bool = False
    ) -> SafeString:
        widget = widget or self.field.widget
        if isinstance(widget, SplitDateTimeWidget) and not widget.is_hidden and self.label:
            widget = copy.deepcopy(widget)  # the form's own widget keeps its attributes
            for part, subwidget in zip(SPLIT_DATETIME_PARTS, widget.widgets, strict=True):
                subwidget.attrs.setdefault("aria-label", f"{self.label}: {part}")
        return super().as_widget(widget, attrs, only_initial)


class PortalFormRenderer(DjangoTemplates):
    bound_field_class = PortalBoundField
