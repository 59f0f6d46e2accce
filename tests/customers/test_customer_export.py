"""CSV export of customers: the searched list or all, streamed, UTF-8 with BOM, formula
cells neutralised, extra fields included, deleted ones only with "Show deleted spaces",
each export logged; administrators only."""

import csv
import io

import pytest
from django.urls import reverse

from customers.models import CustomerExport, ExtraField
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def download(client, **params):
    response = client.get(reverse("customers:export"), params)
    assert response.status_code == 200
    assert response.streaming
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return response, list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))


@pytest.fixture
def admin_client(client_for, administrator):
    return client_for(administrator)


def test_all_customers_are_exported_and_the_export_is_logged(admin_client, administrator):
    CustomerFactory(first_name="Søren", last_name="Ærø", city="København")
    CustomerFactory(first_name="Anna", last_name="Berg")
    response, rows = download(admin_client)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert {row["Last name"] for row in rows} == {"Ærø", "Berg"}
    assert rows[0]["City"] in ("København", "")
    log = CustomerExport.objects.get()
    assert (log.user, log.rows, log.query) == (administrator, 2, "")


def test_the_searched_list_is_what_is_exported(admin_client):
    CustomerFactory(first_name="Ida", last_name="Holm")
    CustomerFactory(first_name="Bo", last_name="Lund")
    _, rows = download(admin_client, q="holm")
    assert [row["Last name"] for row in rows] == ["Holm"]
    assert CustomerExport.objects.get().query == "holm"


def test_formula_cells_are_neutralised(admin_client):
    CustomerFactory(first_name='=HYPERLINK("http://evil")', last_name="@SUM(A1)", city="+1+cmd")
    _, rows = download(admin_client)
    assert rows[0]["First name"] == '\'=HYPERLINK("http://evil")'
    assert rows[0]["Last name"] == "'@SUM(A1)"
    assert rows[0]["City"] == "'+1+cmd"


def test_columns_follow_the_settings_and_the_ssn_is_never_exported(admin_client, customer_settings):
    CustomerFactory()
    customer_settings(date_of_birth_enabled=False, gender_enabled=True, ssn_enabled=True)
    _, rows = download(admin_client)
    assert "Gender" in rows[0]
    assert "Date of birth" not in rows[0]
    assert not [column for column in rows[0] if "social" in column.lower()]


def test_extra_fields_are_exported_and_deleted_ones_only_with_the_setting(
    admin_client, customer_settings
):
    in_use = ExtraField.objects.create(label="Referred by", position=1)
    filled = ExtraField.objects.create(label="Old code", position=2)
    empty = ExtraField.objects.create(label="Never used", position=3)
    CustomerFactory(extra_fields={in_use.key: "Dr. Holm", filled.key: "X-12"})
    for field in (filled, empty):
        field.mark_deleted()
        field.save()
    customer_settings(forms_show_deleted_fields=False)
    _, rows = download(admin_client)
    assert rows[0]["Referred by"] == "Dr. Holm"
    assert "Old code (deleted field)" not in rows[0]
    customer_settings(forms_show_deleted_fields=True)
    _, rows = download(admin_client)
    assert rows[0]["Old code (deleted field)"] == "X-12"
    assert "Never used (deleted field)" not in rows[0]


def test_staff_without_the_export_permission_are_refused(client_for, receptionist):
    CustomerFactory()
    client = client_for(receptionist)
    assert client.get(reverse("customers:export")).status_code == 403
    assert "Export" not in client.get(reverse("customers:list")).content.decode()
    assert not CustomerExport.objects.exists()


def test_the_export_runs_a_bounded_number_of_queries_whatever_the_rows(
    admin_client, django_assert_max_num_queries
):
    CustomerFactory.create_batch(120)
    with django_assert_max_num_queries(10):
        _, rows = download(admin_client)
    assert len(rows) == 120


@pytest.mark.parametrize(
    ("created_utc", "shown"),
    [
        ("2026-06-30T22:30:00+00:00", "2026-07-01 00:30"),  # summer time, +2
        ("2026-12-31T23:30:00+00:00", "2027-01-01 00:30"),  # winter time, +1
    ],
)
def test_times_are_in_the_clinics_time_zone(admin_client, created_utc, shown):
    customer = CustomerFactory(phone="+4520123456")
    type(customer).objects.filter(pk=customer.pk).update(created=created_utc)
    _, rows = download(admin_client)
    assert rows[0]["Created"] == shown
    assert rows[0]["Phone"] == "+4520123456"


def test_phone_numbers_are_exported_without_an_apostrophe(admin_client):
    CustomerFactory(phone="+4520123456", city="+45 is not a city=1")
    _, rows = download(admin_client)
    assert rows[0]["Phone"] == "+4520123456"
    assert rows[0]["City"] == "'+45 is not a city=1"


def test_memory_stays_flat_however_many_rows_are_exported(admin_client, monkeypatch):
    """Streaming 6,000 customers of about 1 KB each peaks at about the memory of 100:
    rows are read in chunks and written as they come, never collected (collected, these
    rows alone would take well over 6 MiB)."""
    import tracemalloc

    from customers import export
    from customers.models import Customer

    monkeypatch.setattr(export, "CHUNK", 500)
    notes = ExtraField.objects.create(label="Notes", kind="long_text")
    Customer.objects.bulk_create(
        Customer(
            number=number,
            first_name="Anna",
            last_name=f"Jensen{number}",
            extra_fields={notes.key: f"{number} " + "x" * 1000},
        )
        for number in range(1, 6001)
    )

    def peak(query):
        tracemalloc.start()
        response = admin_client.get(reverse("customers:export"), {"q": query} if query else {})
        rows = sum(chunk.count(b"\n") for chunk in response.streaming_content) - 1
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return rows, peak

    (few_rows, few), (many_rows, many) = peak("jensen59"), peak("")
    assert (few_rows, many_rows) == (111, 6000)
    assert many < few + 3 * 2**20
