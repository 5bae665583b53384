from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from microintern.core import views as core_views
from microintern.core.admin_privacy import guard_admin_site
from microintern.portal import views as portal_views

# Staff log into the admin through allauth, so its rate limits and MFA cover the admin too.
admin.site.login = secure_admin_login(admin.site.login)
# A NUL byte in any admin address answers 400 before a query runs (PostgreSQL would fail).
guard_admin_site(admin.site)
admin.site.site_header = "Micro-internships: CAPD administration"
admin.site.site_title = "Micro-internships admin"
admin.site.index_template = "admin/portal_index.html"  # links the current cycle's funnel
# The index already lists every app; the sidebar repeating it took a fifth of a 1280 px screen
# from the lists, whose last columns (deadline, domain check) then scrolled off.
admin.site.enable_nav_sidebar = False

urlpatterns = [
    path("", portal_views.home, name="home"),
    path("healthz", core_views.health, name="health"),
    path("authorization/", include("authorization.urls")),
    # Before allauth's own URLs, so that this view answers the same address and name.
    path("accounts/signup/", portal_views.signup, name="account_signup"),
    path("accounts/", include("allauth.urls")),
    path("profile/", include("microintern.accounts.urls")),
    path("notifications/", include("microintern.notifications.urls")),
    path("postings/", include("postings.urls")),
    path("applications/", include("applications.urls")),
    path("offers/", include("offers.urls")),
    path("advising/", include("microintern.advising.urls")),
    path("admin/", admin.site.urls),
]
