from django.urls import path

from customers import calendar_views, field_views, reservation_views, views

app_name = "customers"
urlpatterns = [
    path("", views.customer_list, name="list"),
    path("new/", views.customer_create, name="create"),
    path("export.csv", views.customer_export, name="export"),
    path("settings/", views.settings_edit, name="settings"),
    path("calendars/", calendar_views.calendar_list, name="calendars"),
    path("calendars/new/", calendar_views.calendar_create, name="calendar_create"),
    path("calendars/<int:calendar_id>/", calendar_views.calendar_edit, name="calendar_edit"),
    path("fields/", field_views.field_list, name="fields"),
    path("fields/new/", field_views.field_create, name="field_create"),
    path("fields/<int:field_id>/", field_views.field_edit, name="field_edit"),
    path("fields/<int:field_id>/delete/", field_views.field_delete, name="field_delete"),
    path("fields/<int:field_id>/restore/", field_views.field_restore, name="field_restore"),
    path("fields/<int:field_id>/move/", field_views.field_move, name="field_move"),
    path("<uuid:customer_id>/", views.customer_detail, name="detail"),
    path(
        "<uuid:customer_id>/reservations/new/",
        reservation_views.reservation_create,
        name="reservation_create",
    ),
    path(
        "<uuid:customer_id>/reservations/print/",
        reservation_views.reservations_print,
        name="reservations_print",
    ),
    path(
        "reservations/<uuid:reservation_id>/",
        reservation_views.reservation_edit,
        name="reservation_edit",
    ),
    path(
        "reservations/<uuid:reservation_id>/decline/",
        reservation_views.reservation_decline_view,
        name="reservation_decline",
    ),
    path("<uuid:customer_id>/edit/", views.customer_edit, name="edit"),
    path("<uuid:customer_id>/delete/", views.customer_delete, name="delete"),
    path("<uuid:customer_id>/ssn/", views.customer_ssn, name="ssn"),
    path("<uuid:customer_id>/debtor/", views.customer_debtor, name="debtor"),
    path("<uuid:customer_id>/own-debtor/", views.customer_make_own_debtor, name="own_debtor"),
]
