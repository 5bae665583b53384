from django.urls import path

from microintern.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("preview/", views.profile_preview, name="profile_preview"),
    path("documents/", views.documents, name="documents"),
    path("documents/<int:pk>/", views.document_change, name="document_change"),
    path("documents/<int:pk>/default/", views.document_default, name="document_default"),
    path("documents/<int:pk>/delete/", views.document_delete, name="document_delete"),
    path("documents/<int:pk>/download/", views.document_download, name="document_download"),
]
