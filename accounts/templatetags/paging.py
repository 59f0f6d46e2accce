"""Links between pages of a list that keep its search, filters and sort order."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context, number: int) -> str:
    """`?{% page_query 3 %}`: this request's query string with page=3."""
    query = context["request"].GET.copy()
    query["page"] = number
    return query.urlencode()
