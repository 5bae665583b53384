from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from microintern.core import views as core_views

# Staff log into the admin through allauth, so its rate limits and MFA cover the admin too.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Micro-internships: CAPD administration"
admin.site.site_title = "Micro-internships admin"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.health, name="health"),
    path("authorization/", include("authorization.urls")),
    path("accounts/", include("allauth.urls")),
    path("notifications/", include("microintern.notifications.urls")),
    path("postings/", include("postings.urls")),
    path("applications/", include("applications.urls")),
    path("offers/", include("offers.urls")),
    path("admin/", admin.site.urls),
]
