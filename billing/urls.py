from django.urls import path

from billing import views

app_name = "billing"
urlpatterns = [
    path("invoices/", views.invoice_list, name="invoices"),
    path("invoices/<int:invoice_id>/", views.invoice_detail, name="invoice"),
]
