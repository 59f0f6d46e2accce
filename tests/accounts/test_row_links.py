"""Row links (accounts/templatetags/row_links.py): one reversal per list, the same URLs."""

import uuid

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.urls import NoReverseMatch, reverse


def _render(source: str, **context) -> str:
    return Template("{% load row_links %}" + source).render(Context(context))


def test_a_row_link_is_the_url_that_url_would_give_for_a_uuid_id():
    ids = [uuid.uuid4() for _ in range(3)]
    html = _render(
        '{% url_pattern "customers:detail" "ROW" as url %}'
        "{% for id in ids %}{{ url|url_for:id }} {% endfor %}",
        ids=ids,
    )
    assert html.split() == [reverse("customers:detail", args=[id]) for id in ids]


def test_a_row_link_keeps_the_fixed_arguments_and_fills_an_int_id():
    customer_id = uuid.uuid4()
    html = _render(
        '{% url_pattern "contacts:remove" customer_id "ROW" as url %}{{ url|url_for:42 }}',
        customer_id=customer_id,
    )
    assert html == reverse("contacts:remove", args=[customer_id, 42])


def test_a_pattern_without_a_row_argument_is_refused():
    with pytest.raises(TemplateSyntaxError):
        _render('{% url_pattern "customers:detail" 5 as url %}')


def test_a_pattern_whose_url_takes_no_id_is_refused():
    with pytest.raises(NoReverseMatch):
        _render('{% url_pattern "customers:list" "ROW" as url %}')
