from django.urls import path

from contacts.views import directory as views
from contacts.views import persons

app_name = "contacts"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("categories/new/", views.category_create, name="category_create"),
    path("categories/<int:category_id>/", views.category_detail, name="category"),
    path("categories/<int:category_id>/delete/", views.category_delete, name="category_delete"),
    path("categories/<int:category_id>/new/", views.contact_create, name="contact_create"),
    path("categories/<int:category_id>/export.csv", views.category_export_csv, name="export_csv"),
    path(
        "categories/<int:category_id>/export.vcf", views.category_export_vcard, name="export_vcard"
    ),
    path("categories/<int:category_id>/import/", views.category_import, name="category_import"),
    path(
        "categories/<int:category_id>/import/confirm/",
        views.category_import_confirm,
        name="category_import_confirm",
    ),
    path("<int:contact_id>/edit/", views.contact_edit, name="contact_edit"),
    path("<int:contact_id>/delete/", views.contact_delete, name="contact_delete"),
    path("<int:contact_id>/customers/", views.contact_customers, name="contact_customers"),
    path("customer/<uuid:customer_id>/persons/new/", persons.person_create, name="person_create"),
    path("persons/<uuid:person_id>/", persons.person_detail, name="person"),
    path("persons/<uuid:person_id>/edit/", persons.person_edit, name="person_edit"),
    path("persons/<uuid:person_id>/delete/", persons.person_delete, name="person_delete"),
    path("persons/<uuid:person_id>/primary/", persons.person_set_primary, name="person_primary"),
    path("customer/<uuid:customer_id>/choose/", views.customer_contact_choose, name="choose"),
    path(
        "customer/<uuid:customer_id>/remove/<int:contact_id>/",
        views.customer_contact_remove,
        name="remove",
    ),
]
