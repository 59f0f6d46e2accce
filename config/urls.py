"""Top-level URLs: the staff pages, the portal, the admin and the health check."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from config import views

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="customers:list"), name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("customers/", include("customers.urls")),
    path("debtors/", include("debtors.urls")),
    path("contacts/", include("contacts.urls")),
    path("records/", include("records.urls")),
    path("portal-access/", include("portal.staff_urls")),
    path("portal/", include("portal.urls")),
    path("privacy/", include("privacy.urls")),
    path("billing/", include("billing.urls")),
    path("admin/", admin.site.urls),
]
