from billing.models.invoices import Invoice, InvoiceLine, InvoiceNumbering, Payment
from billing.models.prices import PriceItem, VatRate
from billing.models.sales import Sale, SaleLine

__all__ = [
    "Invoice",
    "InvoiceLine",
    "InvoiceNumbering",
    "Payment",
    "PriceItem",
    "Sale",
    "SaleLine",
    "VatRate",
]
