"""Every write to organizations and postings goes through here.

Views, admin actions, tasks and the demo seed call these functions, so each rule lives in one
place. One module per part; everything is importable from `postings.services`.
"""

from django.core.exceptions import PermissionDenied, ValidationError

from postings.models import InvalidTransition, PostingError, PostingNotEditable, PublishRefused
from postings.services.organizations import (
    SEND_INVITATION_TASK,
    OrganizationNameTaken,
    invitation_accept,
    invitation_send,
    open_invitation_for,
    organization_create_for_owner,
    organization_invite,
    organization_name_taken,
    organization_refresh_search,
    organization_verify,
)
from postings.services.postings import (
    POSTING_TERMS,
    MaterialSpec,
    posting_approve,
    posting_close,
    posting_create,
    posting_duplicate,
    posting_refresh_search,
    posting_reject,
    posting_request_changes,
    posting_submit,
    posting_update,
    posting_withdraw,
    postings_close_expired,
)
from postings.services.saved import (
    SEARCH_KEYS,
    normalize_query_string,
    saved_posting_toggle,
    saved_search_create,
    saved_search_delete,
)

__all__ = [
    "SEND_INVITATION_TASK",
    "POSTING_TERMS",
    "SEARCH_KEYS",
    "InvalidTransition",
    "MaterialSpec",
    "OrganizationNameTaken",
    "PermissionDenied",
    "PostingError",
    "PostingNotEditable",
    "PublishRefused",
    "ValidationError",
    "invitation_accept",
    "invitation_send",
    "open_invitation_for",
    "normalize_query_string",
    "organization_create_for_owner",
    "organization_invite",
    "organization_name_taken",
    "organization_refresh_search",
    "organization_verify",
    "posting_approve",
    "posting_close",
    "posting_create",
    "posting_duplicate",
    "posting_refresh_search",
    "posting_reject",
    "posting_request_changes",
    "posting_submit",
    "posting_update",
    "posting_withdraw",
    "postings_close_expired",
    "saved_posting_toggle",
    "saved_search_create",
    "saved_search_delete",
]
