from __future__ import annotations

from django import template

from applications.acceptance import CycleClosedByAcceptance, accepted_application
from applications.models import Application
from postings.models import Posting

register = template.Library()


@register.simple_tag(takes_context=True)
def application_for(context: template.Context, posting: Posting) -> Application | None:
    """The signed-in student's application to this posting, if any (for the posting page)."""
    user = context["request"].user
    if not user.is_authenticated or not user.is_student:
        return None
    return Application.objects.filter(student=user, posting=posting).first()


@register.simple_tag(takes_context=True)
def cycle_closed_for(context: template.Context, posting: Posting) -> str:
    """Why the signed-in student cannot apply in this posting's cycle ("" when they can)."""
    user = context["request"].user
    if not user.is_authenticated or not user.is_student:
        return ""
    accepted = accepted_application(user.pk, posting.cycle_id)
    return str(CycleClosedByAcceptance(accepted)) if accepted else ""
