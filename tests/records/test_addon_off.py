"""Records add-on switched off: every page of the records app answers 404, the access log
included, whatever the method and whoever asks; switched on, the same URLs are there."""

import pytest
from django.urls import URLPattern, reverse

from records import services, urls
from records.models import RecordGroup
from tests.factories import login_with_second_factor

pytestmark = pytest.mark.django_db

PATTERNS = [pattern.name for pattern in urls.urlpatterns if isinstance(pattern, URLPattern)]


@pytest.fixture
def administrator_client(client, administrator):
    login_with_second_factor(client, administrator)
    return client


@pytest.fixture
def url_of(customer, record, therapist):
    """url_of(name): the URL of the records pattern `name`, on rows that exist."""
    entry = services.entry_create(record=record, title="Visit", body="Notes.", by=therapist)
    group = RecordGroup.objects.create(name="Treatment note")
    values = {
        "customer_id": customer.pk,
        "record_id": record.pk,
        "entry_id": entry.pk,
        "group_id": group.pk,
    }

    def url(name: str) -> str:
        pattern = next(p for p in urls.urlpatterns if p.name == name)
        names = pattern.pattern.converters.keys()
        return reverse(f"records:{name}", kwargs={key: values[key] for key in names})

    return url


def test_the_sweep_covers_every_pattern_of_the_records_app():
    assert len(PATTERNS) == len(urls.urlpatterns) >= 11


@pytest.mark.parametrize("name", PATTERNS)
def test_every_records_url_answers_404_while_the_addon_is_off(
    name, administrator_client, url_of, customer_settings
):
    customer_settings(records_addon_enabled=False)
    url = url_of(name)

    assert administrator_client.get(url).status_code == 404
    assert administrator_client.post(url, {"archive": "1", "title": "x"}).status_code == 404


@pytest.mark.parametrize("name", PATTERNS)
def test_every_records_url_is_there_while_the_addon_is_on(name, administrator_client, url_of):
    # 405 is the archive URL refusing a GET: there, but POST only.
    assert administrator_client.get(url_of(name)).status_code in (200, 405)
