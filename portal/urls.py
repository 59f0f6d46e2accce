from django.urls import path

from portal.views import auth, contacts, pages

app_name = "portal"
urlpatterns = [
    path("", pages.home, name="home"),
    path("login/", auth.PortalLoginView.as_view(), name="login"),
    path("logout/", auth.logout, name="logout"),
    path("welcome/<uidb64>/<token>/", auth.PortalInvitationView.as_view(), name="invitation"),
    path("password/", auth.PortalPasswordResetView.as_view(), name="password_reset"),
    path("password/sent/", auth.PortalPasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/<uidb64>/<token>/",
        auth.PortalResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("contacts/", contacts.contact_list, name="contacts"),
    path("contacts/search/", contacts.contact_search, name="contact_search"),
    path("contacts/new/", contacts.contact_create, name="contact_create"),
    path("contacts/<uuid:person_id>/", contacts.contact_detail, name="contact"),
    path("contacts/<uuid:person_id>/edit/", contacts.contact_edit, name="contact_edit"),
    path("contacts/<uuid:person_id>/delete/", contacts.contact_delete, name="contact_delete"),
    path("billing/", pages.billing, name="billing"),
    path("reports/", pages.reports, name="reports"),
    path("appointments/request/", pages.appointment_request, name="appointment_request"),
]
