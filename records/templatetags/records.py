"""Showing entries: rich text through the allow-list, plain text with its line breaks."""

from django import template
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe

from records import rich_text

register = template.Library()


@register.filter
def entry_text(text: str, rich: bool) -> SafeString:
    """`{{ entry.text.body|entry_text:entry.rich_text }}`: rich text cleaned again on the way
    out (a tightened allow-list covers old rows too), plain text escaped."""
    if rich:
        return mark_safe(rich_text.clean(text))  # noqa: S308 - cleaned by the allow-list
    return mark_safe(linebreaks(text, autoescape=True))  # noqa: S308 - escaped by linebreaks
