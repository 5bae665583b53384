from django.urls import path

from applications import views

app_name = "applications"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/notes/", views.note_add, name="note_add"),
    path("<int:pk>/interview/", views.book, name="interview_book"),
    path("interviews/<int:pk>/move/", views.move, name="interview_move"),
    path("interviews/<int:pk>/cancel/", views.cancel, name="interview_cancel"),
    path("interviews/<int:pk>/invitation.ics", views.interview_invitation, name="interview_ics"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("postings/<int:posting_pk>/apply/", views.apply, name="apply"),
    path("postings/<int:posting_pk>/applicants/", views.applicants, name="applicants"),
    path(
        "postings/<int:posting_pk>/applicants/action/",
        views.applicants_action,
        name="applicants_action",
    ),
    path("postings/<int:posting_pk>/applicants.csv", views.applicants_csv, name="applicants_csv"),
    path("postings/<int:posting_pk>/interview-times/", views.slots_offer, name="slots_offer"),
]
