"""Counts on the records pages read as real sentences: "1 entry", "2 entries", never
"entr(ies)" or "record(s)" (ngettext / blocktranslate count, so Danish gets its own forms)."""

import pytest
from django.urls import reverse

from records import services
from tests.factories import login_with_second_factor

pytestmark = pytest.mark.django_db


def record_panel(client, customer, record) -> str:
    url = reverse("customers:detail", args=[customer.pk])
    return client.get(f"{url}?tab=record&record={record.pk}").content.decode()


def test_the_record_panel_counts_one_entry_and_several_entries(
    therapist_client, customer, record, write
):
    write("Visit")
    assert "· 1 entry\n" in record_panel(therapist_client, customer, record)

    write("Second visit")
    assert "· 2 entries\n" in record_panel(therapist_client, customer, record)


def test_the_delete_page_counts_one_earlier_version_and_several(therapist_client, therapist, write):
    entry = write("Visit")
    url = reverse("records:entry_delete", args=[entry.pk])
    services.entry_update(entry=entry, title="Visit", body="Second", by=therapist)
    assert "<li>its 1 earlier version</li>" in therapist_client.get(url).content.decode()

    services.entry_update(entry=entry, title="Visit", body="Third", by=therapist)
    assert "<li>its 2 earlier versions</li>" in therapist_client.get(url).content.decode()


def test_the_customer_delete_page_counts_records_in_singular_and_plural(
    client, administrator, customer, record, therapist
):
    login_with_second_factor(client, administrator)
    url = reverse("customers:delete", args=[customer.pk])
    assert "1 record (journal)" in client.get(url).content.decode()

    services.record_create(customer=customer, title="Back", by=therapist)
    assert "2 records (journals)" in client.get(url).content.decode()
