from django.urls import path

from billing import views

app_name = "billing"
urlpatterns = [
    path("invoices/", views.invoice_list, name="invoices"),
    path("invoices/<int:invoice_id>/", views.invoice_detail, name="invoice"),
    path("sales/start/<uuid:customer_id>/", views.sale_start, name="sale_start"),
    path("sales/<int:sale_id>/", views.sale_detail, name="sale"),
    path(
        "sales/<int:sale_id>/lines/<int:position>/remove/",
        views.sale_line_remove,
        name="sale_line_remove",
    ),
    path("sales/<int:sale_id>/invoice/", views.sale_invoice, name="sale_invoice"),
]
