from django.urls import path

from authorization import views

app_name = "authorization"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("profile", views.profile_edit, name="profile"),
    path("cases/<int:pk>", views.case_detail, name="case"),
    path("items/<int:pk>/done", views.item_done, name="item_done"),
    path("items/<int:pk>/document", views.item_upload, name="item_upload"),
    path("items/<int:pk>/document.pdf", views.document_download, name="document"),
]
