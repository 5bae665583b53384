"""Views, split by audience: browse (students and everyone signed in), employer."""

from postings.views.browse import (
    posting_detail,
    posting_list,
    saved_list,
    saved_posting_toggle,
    saved_search_create,
    saved_search_delete,
)
from postings.views.employer import (
    dashboard,
    invitation_accept,
    invitation_create,
    posting_close,
    posting_create,
    posting_duplicate,
    posting_edit,
    posting_submit,
    posting_withdraw,
)

__all__ = [
    "dashboard",
    "invitation_accept",
    "invitation_create",
    "posting_close",
    "posting_create",
    "posting_detail",
    "posting_duplicate",
    "posting_edit",
    "posting_list",
    "posting_submit",
    "posting_withdraw",
    "saved_list",
    "saved_posting_toggle",
    "saved_search_create",
    "saved_search_delete",
]
