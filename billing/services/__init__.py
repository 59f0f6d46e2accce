"""Every write of billing, by concept: sales at the cash register (sales), invoices, credit
notes and payments (invoices). Each raises ValidationError with a code (and params) when a
rule refuses; nothing is written then."""

from billing.services.invoices import invoice_credit, payment_register, sale_issue, sale_total
from billing.services.sales import (
    sale_line_add,
    sale_line_remove,
    sale_start,
    sale_update,
)

__all__ = [
    "invoice_credit",
    "payment_register",
    "sale_issue",
    "sale_line_add",
    "sale_line_remove",
    "sale_start",
    "sale_total",
    "sale_update",
]
