"""Staff pages of portal access, mounted outside /portal/ (config/urls.py)."""

from django.urls import path

from portal.views import staff

app_name = "portal_access"
urlpatterns = [
    path("<uuid:person_id>/", staff.access_edit, name="edit"),
    path("<uuid:person_id>/invite/", staff.access_invite, name="invite"),
    path("<uuid:person_id>/revoke/", staff.access_revoke, name="revoke"),
]
