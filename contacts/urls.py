from django.urls import path

from contacts.views import choosing, directory, directory_contacts, exchange, persons

app_name = "contacts"
urlpatterns = [
    path("", directory.directory, name="directory"),
    path("categories/new/", directory.category_create, name="category_create"),
    path("categories/<int:category_id>/", directory.category_detail, name="category"),
    path("categories/<int:category_id>/delete/", directory.category_delete, name="category_delete"),
    path(
        "categories/<int:category_id>/new/",
        directory_contacts.contact_create,
        name="contact_create",
    ),
    path(
        "categories/<int:category_id>/export.csv", exchange.category_export_csv, name="export_csv"
    ),
    path(
        "categories/<int:category_id>/export.vcf",
        exchange.category_export_vcard,
        name="export_vcard",
    ),
    path("categories/<int:category_id>/import/", exchange.category_import, name="category_import"),
    path(
        "categories/<int:category_id>/import/confirm/",
        exchange.category_import_confirm,
        name="category_import_confirm",
    ),
    path("<int:contact_id>/edit/", directory_contacts.contact_edit, name="contact_edit"),
    path("<int:contact_id>/delete/", directory_contacts.contact_delete, name="contact_delete"),
    path(
        "<int:contact_id>/customers/",
        directory_contacts.contact_customers,
        name="contact_customers",
    ),
    path("customer/<uuid:customer_id>/persons/new/", persons.person_create, name="person_create"),
    path("persons/<uuid:person_id>/", persons.person_detail, name="person"),
    path("persons/<uuid:person_id>/edit/", persons.person_edit, name="person_edit"),
    path("persons/<uuid:person_id>/delete/", persons.person_delete, name="person_delete"),
    path("persons/<uuid:person_id>/primary/", persons.person_set_primary, name="person_primary"),
    path("customer/<uuid:customer_id>/choose/", choosing.customer_contact_choose, name="choose"),
    path(
        "customer/<uuid:customer_id>/remove/<int:contact_id>/",
        choosing.customer_contact_remove,
        name="remove",
    ),
]
