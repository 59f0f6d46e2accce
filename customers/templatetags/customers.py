"""Template filters for customer pages."""

from django import template

register = template.Library()


@register.filter
def below_alert_age(customer, settings) -> bool:
    """{% if customer|below_alert_age:settings %}: the age alert icon shows."""
    return customer.is_below_alert_age(settings)
