from django.urls import path

from customers import views

app_name = "customers"
urlpatterns = [
    path("", views.customer_list, name="list"),
    path("new/", views.customer_create, name="create"),
    path("settings/", views.settings_edit, name="settings"),
    path("<uuid:customer_id>/", views.customer_detail, name="detail"),
    path("<uuid:customer_id>/edit/", views.customer_edit, name="edit"),
    path("<uuid:customer_id>/delete/", views.customer_delete, name="delete"),
    path("<uuid:customer_id>/ssn/", views.customer_ssn, name="ssn"),
    path("<uuid:customer_id>/debtor/", views.customer_debtor, name="debtor"),
    path("<uuid:customer_id>/own-debtor/", views.customer_make_own_debtor, name="own_debtor"),
]
