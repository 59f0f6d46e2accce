"""Staff URLs of the records add-on, under /records/. Records and entries by UUID."""

from django.urls import path

from records import views

app_name = "records"

urlpatterns = [
    path("customer/<uuid:customer_id>/new/", views.record_create, name="record_create"),
    path("customer/<uuid:customer_id>/access-log/", views.access_log, name="access_log"),
    path("<uuid:record_id>/archive/", views.record_archive, name="record_archive"),
    path("<uuid:record_id>/print/", views.record_print, name="record_print"),
    path("<uuid:record_id>/entries/new/", views.entry_create, name="entry_create"),
    path("entries/<uuid:entry_id>/edit/", views.entry_edit, name="entry_edit"),
    path("entries/<uuid:entry_id>/delete/", views.entry_delete, name="entry_delete"),
    path("entries/<uuid:entry_id>/history/", views.entry_history, name="entry_history"),
    path("groups/", views.group_list, name="groups"),
    path("groups/new/", views.group_create, name="group_create"),
    path("groups/<int:group_id>/", views.group_edit, name="group_edit"),
]
