"""Template tags for customer pages."""

from django import template
from django.utils import timezone

register = template.Library()


@register.simple_tag(takes_context=True)
def alert_age(context, customer, settings) -> int | None:
    """`{% alert_age customer settings as age %}`: the age the age alert icon shows for
    `customer` (Customer.alert_age), None when it does not show. Today's date is read
    once per page, not once per row of a list."""
    today = context.render_context.get("alert_age_today")
    if today is None:
        today = context.render_context["alert_age_today"] = timezone.localdate()
    return customer.alert_age(settings, today)
