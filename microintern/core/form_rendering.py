"""The project's form renderer (settings.FORM_RENDERER): Django's, with a fix to how every
field renders, the admin's and allauth's included (the renderer's `bound_field_class`, new in
Django 5.2, reaches every form).

No `aria-describedby` on a hidden input. Django 5.2 gives a field with help text
`aria-describedby` on every widget it renders, the hidden ones included: the `initial-...`
input of a field whose default is callable (the admin renders those), or a field shown as
hidden. HTML forbids `aria-*` on `<input type=hidden>`.
"""

from __future__ import annotations

from typing import Any

from django.forms import BoundField, Widget
from django.forms.renderers import DjangoTemplates


class PortalBoundField(BoundField):
    def build_widget_attrs(self, attrs: dict[str, Any], widget: Widget | None = None) -> dict:
        attrs = super().build_widget_attrs(attrs, widget)
        if (widget or self.field.widget).is_hidden:
            attrs.pop("aria-describedby", None)
        return attrs


class PortalFormRenderer(DjangoTemplates):
    bound_field_class = PortalBoundField
