"""The bare Django page bench/pages.py compares Kartotek's pages with: the same settings,
middleware and sign-in, a view that reads `rows` customers (`?rows=`, default 100) in name
order and renders them into a plain table with Django's template engine. What a page
costs beyond this is Kartotek's own: its layout, formatting, counts and links.

Served only by bench/pages.py's gunicorn (DJANGO_SETTINGS_MODULE=bench.settings).
"""

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import include, path

TEMPLATE = engines["django"].from_string(
    "<!doctype html><html lang='en'><head><title>Bare</title></head><body><table>"
    "{% for c in customers %}<tr><td>{{ c.number }}</td><td><a href='/customers/{{ c.id }}/'>"
    "{{ c.last_name }}, {{ c.first_name }}</a></td><td>{{ c.email }}</td>"
    "<td>{{ c.phone }}</td><td>{{ c.created|date:'SHORT_DATE_FORMAT' }}</td></tr>{% endfor %}"
    "</table></body></html>"
)


def bare_page(request: HttpRequest) -> HttpResponse:
    from customers.models import Customer
    from customers.models.customer import LIST_NAME_SORT

    rows = min(int(request.GET.get("rows", 100)), 500)
    # The list's own order, from the list's own index: the same read, without the rest.
    customers = Customer.objects.order_by(LIST_NAME_SORT.asc(), "first_name", "number").values(
        "id", "number", "first_name", "last_name", "email", "phone", "created"
    )[:rows]
    return HttpResponse(TEMPLATE.render({"customers": customers}, request))


urlpatterns = [path("bench/bare/", bare_page), path("", include("config.urls"))]
