"""Writing, editing, deleting and printing entries from the staff pages: the windows are
refused on the server with the closing time, every edit keeps a version, delete asks first."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from records import services
from records.models import Entry, RecordAccess, RecordGroup
from tests.factories import login_with_second_factor

pytestmark = pytest.mark.django_db


def test_a_new_record_is_created_and_opened(therapist_client, customer):
    response = therapist_client.post(
        reverse("records:record_create", args=[customer.pk]), {"title": "Back pain"}, follow=True
    )
    record = customer.records.get()
    assert record.title == "Back pain"
    assert "Record “Back pain” created." in response.content.decode()
    assert response.redirect_chain[-1][0].endswith(f"record={record.pk}")


def test_a_record_needs_a_title(therapist_client, customer):
    response = therapist_client.post(
        reverse("records:record_create", args=[customer.pk]), {"title": ""}
    )
    assert "This field is required." in response.content.decode()
    assert not customer.records.exists()


def test_a_new_entry_starts_from_its_groups_template(therapist_client, record, customer_settings):
    customer_settings(record_editor_enabled=False)
    group = RecordGroup.objects.create(name="Treatment note", template="Findings:\nPlan:")
    url = reverse("records:entry_create", args=[record.pk]) + f"?group={group.pk}"
    page = therapist_client.get(url).content.decode()
    assert 'value="Treatment note"' in page
    assert "Findings:\nPlan:" in page
    response = therapist_client.post(
        url, {"title": "Treatment note", "body": "Findings: less swelling"}, follow=True
    )
    entry = record.entries.get()
    assert (entry.group, entry.body, entry.rich_text) == (group, "Findings: less swelling", False)
    assert "Entry “Treatment note” added." in response.content.decode()


def test_an_inactive_group_cannot_be_used(therapist_client, record):
    group = RecordGroup.objects.create(name="Old form", is_active=False)
    url = reverse("records:entry_create", args=[record.pk]) + f"?group={group.pk}"
    assert therapist_client.get(url).status_code == 404


def test_an_entry_needs_a_title_and_text(therapist_client, record):
    response = therapist_client.post(
        reverse("records:entry_create", args=[record.pk]), {"title": "", "body": ""}
    )
    assert response.content.decode().count("This field is required.") == 2
    assert not record.entries.exists()


def test_an_edit_inside_the_window_saves_and_keeps_the_previous_version(
    therapist_client, therapist, write
):
    entry = write("First visit", "Before")
    response = therapist_client.post(
        reverse("records:entry_edit", args=[entry.pk]),
        {"title": "First visit", "body": "After"},
        follow=True,
    )
    assert "Entry “First visit” saved." in response.content.decode()
    entry.refresh_from_db()
    assert entry.body == "After"
    version = entry.versions.get()
    assert (version.body, version.replaced_by) == ("Before", therapist)


def test_an_entry_cannot_be_edited_after_the_window(therapist_client, write, customer_settings):
    customer_settings(record_edit_window=60)
    created = timezone.now() - timedelta(minutes=61)
    entry = write("Old visit", "Unchanged", at=created)
    url = reverse("records:entry_edit", args=[entry.pk])
    page = therapist_client.get(url, follow=True).content.decode()
    assert "can no longer be edited: the window closed on" in page
    response = therapist_client.post(url, {"title": "Old visit", "body": "Changed"}, follow=True)
    assert "can no longer be edited" in response.content.decode()
    entry.refresh_from_db()
    assert entry.body == "Unchanged"
    assert not entry.versions.exists()


def test_delete_asks_first_and_says_what_is_lost(therapist_client, therapist, write):
    entry = write("First visit", "Before")
    services.entry_update(entry=entry, title="First visit", body="After", by=therapist)
    url = reverse("records:entry_delete", args=[entry.pk])
    page = therapist_client.get(url).content.decode()
    assert "Delete the entry “First visit”?" in page
    assert "cannot be restored" in page
    assert "its 1 earlier version" in page
    assert Entry.objects.filter(pk=entry.pk).exists()
    response = therapist_client.post(url, follow=True)
    assert "Entry “First visit” deleted." in response.content.decode()
    assert not Entry.objects.filter(pk=entry.pk).exists()


def test_an_entry_cannot_be_deleted_after_the_window(therapist_client, write, customer_settings):
    customer_settings(record_delete_window=30)
    entry = write("Old visit", at=timezone.now() - timedelta(minutes=31))
    url = reverse("records:entry_delete", args=[entry.pk])
    assert "the window closed on" in therapist_client.get(url, follow=True).content.decode()
    response = therapist_client.post(url, follow=True)
    assert "can no longer be deleted" in response.content.decode()
    assert Entry.objects.filter(pk=entry.pk).exists()


def test_never_refuses_every_edit_and_delete(therapist_client, write, customer_settings):
    customer_settings(record_edit_window=0, record_delete_window=0)
    entry = write("Just written")
    response = therapist_client.post(
        reverse("records:entry_edit", args=[entry.pk]), {"title": "x", "body": "y"}, follow=True
    )
    assert "Entries cannot be edited (the Customer record setting says never)." in (
        response.content.decode()
    )
    therapist_client.post(reverse("records:entry_delete", args=[entry.pk]))
    assert Entry.objects.filter(pk=entry.pk).exists()


def test_earlier_versions_are_readable_with_the_permission(
    therapist_client, client, receptionist, therapist, write
):
    entry = write("First visit", "Version one")
    services.entry_update(entry=entry, title="First visit", body="Version two", by=therapist)
    url = reverse("records:entry_history", args=[entry.pk])
    page = therapist_client.get(url).content.decode()
    assert "Version one" in page
    assert "Version two" in page
    assert "replaced" in page
    assert RecordAccess.objects.filter(action="history", entry=entry).count() == 1
    login_with_second_factor(client, receptionist)
    assert client.get(url).status_code == 403


def test_the_print_view_has_every_entry_and_is_logged(
    therapist_client, record, write, customer_settings
):
    customer_settings(record_sorting="newest_last")
    now = timezone.now()
    for day in range(30):
        write(f"Visit day {day:02}", at=now - timedelta(days=30 - day))
    response = therapist_client.get(reverse("records:record_print", args=[record.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Physiotherapy, left knee" in html
    assert html.index("Visit day 00") < html.index("Visit day 29")
    assert "Confidential health record" in html
    assert "data-print" in html
    assert response["Cache-Control"].startswith("max-age=0, no-cache, no-store")
    assert RecordAccess.objects.filter(action="print", record=record).count() == 1


@pytest.mark.parametrize("shown", [True, False])
def test_the_print_shows_the_date_of_birth_only_while_the_field_is_on(
    shown, therapist_client, customer, record, customer_settings
):
    customer.date_of_birth = date(1984, 5, 17)
    customer.save(update_fields=["date_of_birth"])
    customer_settings(date_of_birth_enabled=shown)

    html = therapist_client.get(reverse("records:record_print", args=[record.pk])).content.decode()

    assert ("born 17 May 1984" in html) is shown
    assert ("1984" in html) is shown
