from django.urls import path

from offers import views

app_name = "offers"

urlpatterns = [
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/decline/", views.decline, name="decline"),
    path("<int:pk>/more-time/", views.extension_request, name="extension_request"),
    path("<int:pk>/rescind/", views.rescind, name="rescind"),
    path("<int:pk>/arrangement/", views.arrangement, name="arrangement"),
    path("<int:pk>/arrangement/confirm/", views.arrangement_confirm, name="arrangement_confirm"),
    path("extension-requests/<int:pk>/answer/", views.extension_answer, name="extension_answer"),
    path("applications/<int:application_pk>/extend/", views.extend, name="extend"),
]
