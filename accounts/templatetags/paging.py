"""Links between pages of a list that keep its search, filters and sort order."""

from django import template

from config.pagination import PARAMETERS

register = template.Library()


@register.simple_tag(takes_context=True)
def keyset_query(context, **cursor: str) -> str:
    """`?{% keyset_query after=page.next_cursor %}` (or `before=...`, `page="last"`, or
    nothing for the first page): this request's query string with that page of a
    keyset list (config.pagination) instead of the one it shows."""
    query = context["request"].GET.copy()
    for parameter in PARAMETERS:
        query.pop(parameter, None)
    query.update({name: value for name, value in cursor.items() if value})
    return query.urlencode()
