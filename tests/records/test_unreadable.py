"""Refuse loudly, never show: a ciphertext that does not belong to its row (copied from
another row) leaves the page working. The affected item says it cannot be opened and that
the clinic's administrator has been told, an error naming the row is logged, and the rest
of the page is shown as usual."""

import logging

import pytest
from django.db import connection
from django.urls import reverse

from records import services
from records.models import Entry, EntryVersion, Record

pytestmark = pytest.mark.django_db

TOLD = "administrator has been told."


def copy_token(table: str, field: str, source_id, target_id) -> None:
    """Put `source_id`'s ciphertext of `field` onto `target_id`'s row, as a tamperer would."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {field}_encrypted = (SELECT {field}_encrypted FROM {table}"  # noqa: S608
            " WHERE id = %s) WHERE id = %s",
            [source_id, target_id],
        )


def tab(customer, record=None) -> str:
    url = reverse("customers:detail", args=[customer.pk]) + "?tab=record"
    return f"{url}&record={record.pk}" if record else url


def errors_naming(caplog, row_id) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.levelno >= logging.ERROR and str(row_id) in record.getMessage()
    ]


@pytest.fixture
def broken_entry(record, write):
    """An entry whose body is the body of another entry of the record."""
    write("Still fine", "Readable text")
    broken = write("Will break", "Broken text")
    other = write("Source", "Other text")
    copy_token("records_entry", "body", other.pk, broken.pk)
    return broken


def test_an_entry_that_cannot_be_opened_is_refused_on_its_edit_page(
    therapist_client, broken_entry, caplog
):
    url = reverse("records:entry_edit", args=[broken_entry.pk])

    response = therapist_client.get(url, follow=True)

    assert response.status_code == 200
    html = response.content.decode()
    assert "This entry cannot be opened" in html
    assert TOLD in html
    assert "Readable text" in html  # the rest of the record is shown
    assert errors_naming(caplog, broken_entry.pk)


def test_an_entry_that_cannot_be_opened_is_neither_edited_nor_re_encrypted(
    therapist_client, broken_entry
):
    before = bytes(Entry.objects.get(pk=broken_entry.pk).body_encrypted)
    url = reverse("records:entry_edit", args=[broken_entry.pk])

    response = therapist_client.post(url, {"title": "Over", "body": "Written"}, follow=True)

    assert response.status_code == 200
    assert "This entry cannot be opened" in response.content.decode()
    assert bytes(Entry.objects.get(pk=broken_entry.pk).body_encrypted) == before
    assert not EntryVersion.objects.filter(entry=broken_entry).exists()


def test_an_entry_that_cannot_be_opened_is_refused_by_the_service(broken_entry, therapist):
    with pytest.raises(services.ValidationError) as refused:
        services.entry_update(entry=broken_entry, title="Over", body="Written", by=therapist)

    assert refused.value.error_list[0].code == "unreadable"


def test_the_history_page_says_which_version_cannot_be_opened(
    therapist_client, record, write, therapist, caplog
):
    entry = write("Visit", "First text")
    services.entry_update(entry=entry, title="Visit", body="Second text", by=therapist)
    services.entry_update(entry=entry, title="Visit", body="Third text", by=therapist)
    first, second = EntryVersion.objects.filter(entry=entry).order_by("replaced")
    copy_token("records_entryversion", "body", second.pk, first.pk)

    response = therapist_client.get(reverse("records:entry_history", args=[entry.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "This version cannot be opened" in html
    assert TOLD in html
    assert "Second text" in html  # the other version and the current one still show
    assert "Third text" in html
    assert errors_naming(caplog, first.pk)


def test_the_history_page_of_an_entry_that_cannot_be_opened_renders(
    therapist_client, broken_entry, caplog
):
    response = therapist_client.get(reverse("records:entry_history", args=[broken_entry.pk]))

    assert response.status_code == 200
    assert "This entry cannot be opened" in response.content.decode()
    assert errors_naming(caplog, broken_entry.pk)


@pytest.fixture
def broken_record(customer, therapist, record, write):
    """A second record of the customer whose title is the first record's title."""
    write("Entry of the sound record", "Sound text")
    broken = services.record_create(customer=customer, title="Back pain", by=therapist)
    services.entry_create(record=broken, title="Readable", body="Its own text", by=therapist)
    copy_token("records_record", "title", record.pk, broken.pk)
    return broken


def test_a_record_whose_title_cannot_be_opened_leaves_the_record_tab_working(
    therapist_client, customer, record, broken_record, caplog
):
    response = therapist_client.get(tab(customer, broken_record))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Record that cannot be opened" in html
    assert "s title cannot be opened" in html
    assert TOLD in html
    assert "Its own text" in html  # its entries have their own keys
    assert "Physiotherapy, left knee" in html  # the other record is listed
    assert errors_naming(caplog, broken_record.pk)


def test_the_other_record_opens_while_one_title_cannot_be(
    therapist_client, customer, record, broken_record
):
    response = therapist_client.get(tab(customer, record))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Sound text" in html
    assert "Record that cannot be opened" in html  # its tab among the records


def test_a_record_whose_title_cannot_be_opened_still_prints(
    therapist_client, broken_record, caplog
):
    response = therapist_client.get(reverse("records:record_print", args=[broken_record.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "s title cannot be opened" in html
    assert "Its own text" in html
    assert errors_naming(caplog, broken_record.pk)


def test_an_entry_page_of_a_record_whose_title_cannot_be_opened_renders(
    therapist_client, broken_record
):
    entry = Entry.objects.get(record=broken_record)

    response = therapist_client.get(reverse("records:entry_edit", args=[entry.pk]))

    assert response.status_code == 200
    assert "Record that cannot be opened" in response.content.decode()
    assert Record.objects.filter(pk=broken_record.pk).exists()
