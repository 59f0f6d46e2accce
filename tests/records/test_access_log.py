"""The access log: every view, write and print of a record leaves a line (who, customer,
record, action, when, address); auditors read it per customer; nobody changes it."""

import html
import re
import uuid

import pytest
from django.contrib import admin
from django.db import ProgrammingError, connection, transaction
from django.urls import reverse

from records import services
from records.models import RecordAccess
from tests.factories import CustomerFactory, login_with_second_factor

pytestmark = pytest.mark.django_db

ADDRESS = {"REMOTE_ADDR": "192.0.2.7"}


def lines(**filters):
    return list(
        RecordAccess.objects.filter(**filters)
        .order_by("at", "id")
        .values_list("action", "user__username", "customer_id", "record_id", "address")
    )


def test_every_action_on_a_record_writes_a_line(
    therapist_client, therapist, customer, customer_settings
):
    customer_settings(record_archive_enabled=True)
    therapist_client.post(
        reverse("records:record_create", args=[customer.pk]), {"title": "Knee"}, **ADDRESS
    )
    record = customer.records.get()
    therapist_client.get(reverse("customers:detail", args=[customer.pk]) + "?tab=record", **ADDRESS)
    therapist_client.post(
        reverse("records:entry_create", args=[record.pk]),
        {"title": "Visit", "body": "Notes"},
        **ADDRESS,
    )
    entry = record.entries.get()
    therapist_client.post(
        reverse("records:entry_edit", args=[entry.pk]),
        {"title": "Visit", "body": "More"},
        **ADDRESS,
    )
    therapist_client.get(reverse("records:entry_history", args=[entry.pk]), **ADDRESS)
    therapist_client.get(reverse("records:record_print", args=[record.pk]), **ADDRESS)
    therapist_client.post(reverse("records:entry_delete", args=[entry.pk]), **ADDRESS)
    therapist_client.post(
        reverse("records:record_archive", args=[record.pk]), {"archive": "1"}, **ADDRESS
    )
    expected_actions = [
        "create", "view", "create", "edit", "history", "print", "delete", "archive",
    ]  # fmt: skip
    assert lines() == [
        (action, "terry", customer.pk, record.pk, "192.0.2.7") for action in expected_actions
    ]
    # The lines of the deleted entry still name it.
    assert RecordAccess.objects.filter(entry_id=entry.pk).count() == 4


def test_auditors_read_the_log_of_one_customer(
    client, administrator, therapist, customer, record, write
):
    write("Visit")
    other = services.record_create(customer=CustomerFactory(), title="x", by=therapist)
    login_with_second_factor(client, administrator)
    response = client.get(reverse("records:access_log", args=[customer.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<tr>") == 1 + 2  # header, record created, entry created
    assert "Created" in html
    assert str(other.pk)[:8] not in html


def test_the_log_can_be_filtered_by_action(client, administrator, customer, record, write):
    write("Visit")
    login_with_second_factor(client, administrator)
    response = client.get(reverse("records:access_log", args=[customer.pk]) + "?action=print")
    assert "No lines with this action." in response.content.decode()


def test_staff_without_the_audit_permission_cannot_read_the_log(therapist_client, customer, record):
    response = therapist_client.get(reverse("records:access_log", args=[customer.pk]))
    assert response.status_code == 403
    page = therapist_client.get(reverse("customers:detail", args=[customer.pk]) + "?tab=record")
    assert reverse("records:access_log", args=[customer.pk]) not in page.content.decode()


def test_the_database_refuses_to_change_or_delete_a_line(record):
    line = RecordAccess.objects.get()
    for statement in (
        "UPDATE records_recordaccess SET action = 'view' WHERE id = %s",
        "DELETE FROM records_recordaccess WHERE id = %s",
    ):
        refused = pytest.raises(ProgrammingError, match="append-only")
        with refused, transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [line.pk])
    assert RecordAccess.objects.get().action == "create"


def test_no_session_setting_lets_the_application_past_the_trigger(record):
    # pgtrigger's own triggers step aside for a session that sets pgtrigger.ignore; the
    # access log's trigger must not.
    line = RecordAccess.objects.get()
    refused = pytest.raises(ProgrammingError, match="append-only")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SET LOCAL pgtrigger.ignore = "
            "'{recordaccess_append_only,pgtrigger_recordaccess_append_only_c6a64}'"
        )
        cursor.execute("DELETE FROM records_recordaccess WHERE id = %s", [line.pk])
    assert RecordAccess.objects.filter(pk=line.pk).exists()


def test_the_admin_shows_the_log_read_only(rf, administrator):
    model_admin = admin.site._registry[RecordAccess]
    request = rf.get("/")
    request.user = administrator
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_a_denied_attempt_to_open_a_record_writes_a_denied_line(
    client, receptionist, customer, record
):
    login_with_second_factor(client, receptionist)

    response = client.get(reverse("records:record_print", args=[record.pk]), **ADDRESS)

    assert response.status_code == 403
    assert lines(action="denied") == [("denied", "rita", customer.pk, record.pk, "192.0.2.7")]


def test_a_denied_attempt_on_an_entry_names_the_entry_and_its_record(
    client, receptionist, customer, record, write
):
    entry = write("Visit")
    login_with_second_factor(client, receptionist)

    response = client.get(reverse("records:entry_history", args=[entry.pk]), **ADDRESS)

    assert response.status_code == 403
    line = RecordAccess.objects.get(action="denied")
    assert (line.user, line.record_id, line.entry_id) == (receptionist, record.pk, entry.pk)


def test_a_denied_attempt_on_a_record_that_does_not_exist_writes_nothing(client, receptionist):
    login_with_second_factor(client, receptionist)

    response = client.get(reverse("records:record_print", args=[uuid.uuid4()]))

    assert response.status_code == 403
    assert not RecordAccess.objects.filter(action="denied").exists()


def test_denied_lines_read_plainly_on_the_access_log_page(
    client, administrator, receptionist, customer, record
):
    services.record_denied_log(by=receptionist, address="192.0.2.7", record_id=record.pk)
    login_with_second_factor(client, administrator)

    html = client.get(reverse("records:access_log", args=[customer.pk])).content.decode()

    assert '<tr class="table-warning">' in html
    assert "<strong>Denied: tried without permission</strong>" in html
    assert str(receptionist) in html
    filtered = client.get(reverse("records:access_log", args=[customer.pk]) + "?action=denied")
    assert filtered.content.decode().count("<tr") == 1 + 1  # header, the denied line


def test_a_denied_attempt_to_open_the_record_tab_writes_a_denied_line(
    client, receptionist, customer, record
):
    login_with_second_factor(client, receptionist)
    url = reverse("customers:detail", args=[customer.pk])

    response = client.get(f"{url}?tab=record&record={record.pk}", **ADDRESS)

    assert response.status_code == 200  # the profile, without its Record tab
    assert "Physiotherapy, left knee" not in response.content.decode()
    assert lines(action="denied") == [("denied", "rita", customer.pk, record.pk, "192.0.2.7")]


@pytest.mark.parametrize("wanted", ["not-a-uuid", "", "other customer's"])
def test_the_record_tab_asked_for_a_record_that_is_not_there_writes_nothing(
    wanted, client, receptionist, therapist, customer, record
):
    if wanted == "other customer's":
        wanted = services.record_create(customer=CustomerFactory(), title="x", by=therapist).pk
    login_with_second_factor(client, receptionist)
    url = reverse("customers:detail", args=[customer.pk])

    assert client.get(f"{url}?tab=record&record={wanted}").status_code == 200
    assert not RecordAccess.objects.filter(action="denied").exists()


def test_the_next_page_of_the_log_follows_the_last_line_seen_while_new_lines_arrive(
    client, administrator, therapist, customer, record, monkeypatch, django_assert_max_num_queries
):
    """The log is newest first, so every new line lands before the lines already seen:
    "Next" must still show the lines after the last one on the page."""
    monkeypatch.setattr("records.views.LOG_PAGE_SIZE", 2)
    for action in ("view", "print", "history"):
        services.record_access_log(action=action, record=record, by=therapist, address=None)
    login_with_second_factor(client, administrator)
    url = reverse("records:access_log", args=[customer.pk])
    first = client.get(url).content.decode()
    assert _actions(first) == ["Viewed earlier versions", "Printed"]
    services.record_access_log(action="view", record=record, by=therapist, address=None)
    next_url = url + html.unescape(re.search(r'href="(\?after=[^"]+)"', first).group(1))
    with django_assert_max_num_queries(10):
        second = client.get(next_url).content.decode()
    assert _actions(second) == ["Viewed", "Created"]


def _actions(content: str) -> list[str]:
    """The Action column, top to bottom."""
    action_cell = r'<td>(?:<strong>)?([^<]+)(?:</strong>)?</td>\s*<td class="small">'
    return re.findall(action_cell, content)
