from django.urls import path

from microintern.advising import views

app_name = "advising"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("book/", views.book, name="book"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/move/", views.move, name="move"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/invitation.ics", views.ics, name="ics"),
]
