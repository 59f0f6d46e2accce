"""The customer profile's Record tab: shown only with the add-on and the permission, sorted
by the Sorting setting, archive by the Archive setting, actions only inside their windows."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from records import services
from records.models import RecordAccess
from tests.factories import CustomerFactory, login_with_second_factor
from tests.pager import pager_link

pytestmark = pytest.mark.django_db


def tab(customer, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{reverse('customers:detail', args=[customer.pk])}?tab=record&{query}"


def titles_in(response, *titles):
    """The positions of `titles` in the page, in the order given."""
    html = response.content.decode()
    return [html.index(title) for title in titles]


def test_the_tab_shows_the_records_entries_in_clear(therapist_client, customer, write):
    write("Initial assessment", "Swelling around the patella.")
    response = therapist_client.get(tab(customer))
    assert response.status_code == 200
    assert b">Record</a>" in response.content
    assert "Physiotherapy, left knee" in response.content.decode()
    assert b"Swelling around the patella." in response.content


def test_add_on_off_hides_the_tab_and_refuses_every_records_page(
    therapist_client, customer, record, write, customer_settings
):
    entry = write("Initial assessment")
    customer_settings(records_addon_enabled=False)
    response = therapist_client.get(tab(customer))
    assert b">Record</a>" not in response.content
    assert b"Initial assessment" not in response.content
    for url in (
        reverse("records:record_create", args=[customer.pk]),
        reverse("records:entry_create", args=[record.pk]),
        reverse("records:entry_edit", args=[entry.pk]),
        reverse("records:entry_delete", args=[entry.pk]),
        reverse("records:entry_history", args=[entry.pk]),
        reverse("records:record_print", args=[record.pk]),
        reverse("records:groups"),
    ):
        assert therapist_client.get(url).status_code == 404, url
    response = therapist_client.post(
        reverse("records:entry_create", args=[record.pk]), {"title": "x", "body": "y"}
    )
    assert response.status_code == 404
    assert record.entries.count() == 1


def test_staff_without_the_records_permission_see_no_tab_and_are_refused(
    client, receptionist, customer, record, write
):
    entry = write("Initial assessment")
    login_with_second_factor(client, receptionist)
    response = client.get(tab(customer))
    assert response.status_code == 200
    assert b">Record</a>" not in response.content
    assert b"Initial assessment" not in response.content
    for url in (
        reverse("records:record_create", args=[customer.pk]),
        reverse("records:entry_create", args=[record.pk]),
        reverse("records:entry_edit", args=[entry.pk]),
        reverse("records:entry_delete", args=[entry.pk]),
        reverse("records:record_print", args=[record.pk]),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("records:entry_delete", args=[entry.pk])).status_code == 403
    assert record.entries.count() == 1


def test_an_unknown_record_or_entry_is_not_found(therapist_client):
    for name in ("records:record_print", "records:entry_edit", "records:entry_delete"):
        assert therapist_client.get(reverse(name, args=[uuid.uuid4()])).status_code == 404


def test_sorting_newest_first_puts_the_newest_entry_on_top(
    therapist_client, customer, write, customer_settings
):
    customer_settings(record_sorting="newest_first")
    now = timezone.now()
    write("Oldest visit", at=now - timedelta(days=2))
    write("Newest visit", at=now - timedelta(days=1))
    first, second = titles_in(therapist_client.get(tab(customer)), "Newest visit", "Oldest visit")
    assert first < second


def test_sorting_newest_last_puts_the_newest_entry_at_the_bottom(
    therapist_client, customer, write, customer_settings
):
    customer_settings(record_sorting="newest_last")
    now = timezone.now()
    write("Oldest visit", at=now - timedelta(days=2))
    write("Newest visit", at=now - timedelta(days=1))
    first, second = titles_in(therapist_client.get(tab(customer)), "Oldest visit", "Newest visit")
    assert first < second


def test_newest_last_opens_on_the_page_with_the_newest_entries(
    therapist_client, customer, write, customer_settings
):
    customer_settings(record_sorting="newest_last")
    start = timezone.now() - timedelta(days=60)
    for day in range(30):
        write(f"Visit day {day:02}", at=start + timedelta(days=day))
    response = therapist_client.get(tab(customer))
    assert b"Visit day 29" in response.content
    assert b"Visit day 00" not in response.content
    assert b'<span class="page-link">Next</span>' in response.content
    first = pager_link(response.content.decode(), "First")
    assert "page=first" in first
    first_page = therapist_client.get(reverse("customers:detail", args=[customer.pk]) + first)
    assert b"Visit day 00" in first_page.content
    assert b"Visit day 29" not in first_page.content
    back = pager_link(first_page.content.decode(), "Next")
    newest = therapist_client.get(reverse("customers:detail", args=[customer.pk]) + back)
    assert b"Visit day 29" in newest.content


def test_edit_and_delete_are_offered_only_inside_their_windows(
    therapist_client, customer, record, write, customer_settings
):
    customer_settings(record_edit_window=60, record_delete_window=30)
    now = timezone.now()
    fresh = write("Fresh entry", at=now - timedelta(minutes=10))
    middle = write("Middle entry", at=now - timedelta(minutes=45))
    old = write("Old entry", at=now - timedelta(minutes=90))
    html = therapist_client.get(tab(customer)).content.decode()
    assert reverse("records:entry_edit", args=[fresh.pk]) in html
    assert reverse("records:entry_delete", args=[fresh.pk]) in html
    assert reverse("records:entry_edit", args=[middle.pk]) in html
    assert reverse("records:entry_delete", args=[middle.pk]) not in html
    assert reverse("records:entry_edit", args=[old.pk]) not in html
    assert reverse("records:entry_delete", args=[old.pk]) not in html
    assert "Can be edited until" in html


def test_archive_is_not_offered_and_refused_while_the_setting_is_off(
    therapist_client, customer, record, customer_settings
):
    customer_settings(record_archive_enabled=False)
    response = therapist_client.get(tab(customer))
    assert b"Archive</button>" not in response.content
    url = reverse("records:record_archive", args=[record.pk])
    response = therapist_client.post(url, {"archive": "1"}, follow=True)
    assert "Archiving records is switched off" in response.content.decode()
    record.refresh_from_db()
    assert record.archived is None


def test_an_archived_record_is_shown_apart_and_read_only(
    therapist_client, customer, record, write, customer_settings
):
    customer_settings(record_archive_enabled=True)
    entry = write("Closing note")
    services.record_create(customer=customer, title="Back pain", by=record.created_by)
    response = therapist_client.post(
        reverse("records:record_archive", args=[record.pk]), {"archive": "1"}, follow=True
    )
    html = response.content.decode()
    assert "archived" in html
    record.refresh_from_db()
    assert record.archived is not None
    assert "Archived:" in html
    # The archived record opened: readable, no new entry, no edit, and a way back.
    assert "Closing note" in html
    assert "New entry" not in html
    assert "Restore from archive" in html
    assert reverse("records:entry_edit", args=[entry.pk]) not in html
    # Without a choice, the tab opens on an open record.
    response = therapist_client.get(tab(customer, record="none"))
    assert "Back pain" in response.content.decode().split("Archived:")[0]
    refused = therapist_client.post(
        reverse("records:entry_create", args=[record.pk]), {"title": "x", "body": "y"}, follow=True
    )
    assert "archived: new entries cannot be added" in refused.content.decode()
    assert record.entries.count() == 1


def test_restoring_brings_an_archived_record_back(therapist_client, record, customer_settings):
    customer_settings(record_archive_enabled=True)
    services.record_archive(record=record, archived=True, by=record.created_by)
    therapist_client.post(reverse("records:record_archive", args=[record.pk]), {"archive": "0"})
    record.refresh_from_db()
    assert record.archived is None


def test_an_entry_that_cannot_be_decrypted_is_named_and_the_others_still_show(
    therapist_client, customer, write
):
    broken = write("Will break")
    write("Still fine", "Readable text")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE records_entry SET body_encrypted = title_encrypted WHERE id = %s", [broken.pk]
        )
    html = therapist_client.get(tab(customer)).content.decode()
    assert "This entry cannot be opened" in html
    assert "Readable text" in html


def test_opening_the_tab_logs_a_view_of_the_record(therapist_client, therapist, customer, record):
    therapist_client.get(tab(customer), REMOTE_ADDR="10.1.2.3")
    line = RecordAccess.objects.get(action=RecordAccess.Action.VIEW)
    assert (line.user, line.customer_id, line.record_id, str(line.address)) == (
        therapist,
        customer.pk,
        record.pk,
        "10.1.2.3",
    )


def test_the_tab_runs_a_bounded_number_of_queries(
    therapist_client, customer, record, write, django_assert_max_num_queries
):
    for number in range(40):
        write(f"Visit {number}")
    for _ in range(3):
        services.record_create(customer=customer, title="Another", by=record.created_by)
    # 14: the second factor's device, which every verified request loads, and the viewed
    # line of the access log, which takes the chain's lock, reads the line before and inserts.
    with django_assert_max_num_queries(14):
        response = therapist_client.get(tab(customer, record=record.pk))
    assert response.content.count(b'class="card shadow-sm mb-3 record-entry"') == 25


def test_a_customer_with_records_cannot_be_deleted_and_the_page_says_so(
    client, administrator, customer, record
):
    login_with_second_factor(client, administrator)
    response = client.get(reverse("customers:delete", args=[customer.pk]))
    html = response.content.decode()
    assert "cannot be deleted" in html
    assert "1 record (journal)" in html
    assert "Delete for good" not in html
    other = CustomerFactory()
    assert (
        "Delete for good"
        in client.get(reverse("customers:delete", args=[other.pk])).content.decode()
    )
