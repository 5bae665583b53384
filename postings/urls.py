from django.urls import path

from postings import views

app_name = "postings"

urlpatterns = [
    path("", views.posting_list, name="list"),
    path("saved/", views.saved_list, name="saved"),
    path("searches/", views.saved_search_create, name="search_save"),
    path("searches/<int:pk>/delete/", views.saved_search_delete, name="search_delete"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("new/", views.posting_create, name="create"),
    path("invitations/", views.invitation_create, name="invite"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation"),
    path("<int:pk>/", views.posting_detail, name="detail"),
    path("<int:pk>/edit/", views.posting_edit, name="edit"),
    path("<int:pk>/submit/", views.posting_submit, name="submit"),
    path("<int:pk>/withdraw/", views.posting_withdraw, name="withdraw"),
    path("<int:pk>/close/", views.posting_close, name="close"),
    path("<int:pk>/duplicate/", views.posting_duplicate, name="duplicate"),
    path("<int:pk>/save/", views.saved_posting_toggle, name="save"),
]
