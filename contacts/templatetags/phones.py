"""A contact person's phone numbers as the pages show them."""

from django import template
from django.utils.html import format_html_join

register = template.Library()


@register.filter
def phone_lines(phones) -> str:
    """`{{ person.phones.all|phone_lines }}`: each number formatted, with its type, one a
    line; "—" when there is none. A filter rather than an included template, because
    the Persons tab shows it in each of its 50 rows."""
    lines = format_html_join(
        "",
        '<div class="text-nowrap">{} <span class="small text-body-secondary">{}</span></div>',
        (
            (phone.number.as_international, str(phone.get_kind_display()).lower())
            for phone in phones
        ),
    )
    return lines or "—"
