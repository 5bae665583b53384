"""Admin actions that ask before they act: one confirmation page (admin/confirm_action.html
or a template extending it) and one loop that runs a service per selected row and reports
each refusal by name. Postings, applications, offers and authorization all use these."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest
from django.template.response import TemplateResponse


def confirmation_page(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    *,
    objects: list[Any],
    action: str,
    title: str,
    crumb: str | None = None,
    button: str | None = None,
    form: Form | None = None,
    template: str = "admin/confirm_action.html",
    **extra: Any,
) -> TemplateResponse:
    """The page listing the selected rows, the action's form and the button that confirms."""
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "action": action,
        "action_title": crumb or title,
        "button": button,
        "objects": objects,
        "form": form,
        "opts": model_admin.model._meta,
        "action_checkbox_name": ACTION_CHECKBOX_NAME,
        **extra,
    }
    return TemplateResponse(request, template, context)


def run_each(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    objects: Iterable[Any],
    work: Callable[[Any], object],
    *,
    refusals: tuple[type[Exception], ...],
    done_message: str,
    label: Callable[[Any], str] = str,
) -> int:
    """Call `work` once per row (each service call is its own transaction); a refusal is
    reported with the row's name and changes nothing of that row. Returns how many worked."""
    done = 0
    for obj in objects:
        try:
            work(obj)
        except (*refusals, ValidationError, PermissionDenied) as exc:
            text = " ".join(getattr(exc, "messages", None) or [str(exc)])
            model_admin.message_user(request, f"Not changed: {label(obj)}. {text}", messages.ERROR)
        else:
            done += 1
    if done:
        model_admin.message_user(request, done_message.format(count=done), messages.SUCCESS)
    return done
