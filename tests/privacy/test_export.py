"""GDPR access export (Art. 15/20): for one customer or one contact person, a zip with
data.json and summary.html holding everything held about them; every model holding such
data is exported or said not to be; administrators only; every export is logged, and so is
each record it holds."""

import json
from datetime import date

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection, models
from django.test.utils import CaptureQueriesContext, isolate_apps
from django.urls import reverse

from accounts.models import User
from contacts.models import ContactPerson
from customers.models import Customer
from portal.models import Permission
from privacy import export, sections
from privacy.erasure import erase_customer
from privacy.models import SubjectExport
from privacy.models.export import SubjectKind
from records.models import RecordAccess
from tests.factories import (
    ContactPersonPhoneFactory,
    CustomerFactory,
    login_with_second_factor,
    portal_contact,
)
from tests.privacy.export_fixtures import (
    SSN,
    data_of,
    full_customer,
    keys_in,
    login_history,
    more_of_everything,
    unzip,
)

pytestmark = pytest.mark.django_db

REASON = "Access request received 2026-11-20 by letter"
ADDRESS = {"REMOTE_ADDR": "192.0.2.44"}


def customer_url(customer) -> str:
    return reverse("privacy:customer_export", args=[customer.pk])


def person_url(person) -> str:
    return reverse("privacy:person_export", args=[person.pk])


@pytest.fixture
def admin_client(client, administrator):
    login_with_second_factor(client, administrator)
    return client


# Completeness -----------------------------------------------------------------------------

# Whose data an export is about: the customer, the contact person, the portal login.
SUBJECT_MODELS = (Customer, ContactPerson, User)


def _names_another_row_by_value(field: models.Field) -> bool:
    """A column holding a login name or another row's id without a foreign key
    (`username`, `user_id` in a session, `subject_id` in a log)."""
    return not field.is_relation and (
        field.name == "username" or field.name.endswith(("_username", "_id"))
    )


def models_about_a_subject(all_models) -> set[type[models.Model]]:
    """Every model with a relation path (foreign key, one-to-one, many-to-many, followed from
    the model that declares it) to a customer, a contact person or a login, or to a model that
    names one by value."""
    found = set(SUBJECT_MODELS) | {
        model
        for model in all_models
        if any(_names_another_row_by_value(field) for field in model._meta.concrete_fields)
    }
    grew = True
    while grew:
        grew = False
        for model in all_models:
            if model in found:
                continue
            relations = [
                field.related_model
                for field in model._meta.get_fields()
                if field.is_relation and not field.auto_created and field.related_model
            ]
            if any(related in found for related in relations):
                found.add(model)
                grew = True
    return found


def not_accounted_for(all_models) -> set[str]:
    """Models about a subject that no export section covers and NOT_EXPORTED does not name."""
    covered = {model._meta.label for model in sections.covered_models()}
    about = {model._meta.label for model in models_about_a_subject(all_models)}
    return about - covered - set(sections.NOT_EXPORTED)


def test_every_model_holding_data_about_a_subject_is_exported_or_said_why_not():
    missing = not_accounted_for(apps.get_models())
    assert not missing, (
        f"{sorted(missing)} hold data about a customer, a contact person or a login: add "
        "them to a section of privacy/sections.py, or to NOT_EXPORTED with the reason"
    )


@isolate_apps("privacy")
def test_a_new_model_pointing_at_a_customer_is_caught_by_the_walk():
    class Allergy(models.Model):  # noqa: DJ008
        customer = models.ForeignKey(Customer, on_delete=models.CASCADE)

        class Meta:
            app_label = "privacy"

    # Reaches the customer only through Allergy.
    class AllergyNote(models.Model):  # noqa: DJ008
        allergy = models.ForeignKey(Allergy, on_delete=models.CASCADE)

        class Meta:
            app_label = "privacy"

    # Names a login by value, with no relation.
    class LoginNote(models.Model):  # noqa: DJ008
        username = models.CharField(max_length=150)

        class Meta:
            app_label = "privacy"

    found = not_accounted_for([*apps.get_models(), Allergy, AllergyNote, LoginNote])

    assert {"privacy.Allergy", "privacy.AllergyNote", "privacy.LoginNote"} <= found


def test_models_said_not_to_be_exported_exist_hold_subject_data_and_are_in_no_section():
    about = {model._meta.label for model in models_about_a_subject(apps.get_models())}
    covered = {model._meta.label for model in sections.covered_models()}

    assert set(sections.NOT_EXPORTED) <= about
    assert not set(sections.NOT_EXPORTED) & covered


# The file ---------------------------------------------------------------------------------


@pytest.fixture
def customer(therapist):
    return full_customer(by=therapist)


def download(client, url, reason=REASON):
    response = client.post(url, {"reason": reason}, **ADDRESS)
    assert response.status_code == 200
    return response


def test_customer_export_is_a_zip_with_data_json_summary_html_and_readme(admin_client, customer):
    response = download(admin_client, customer_url(customer))

    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="kartotek-export-customer-{customer.number}-'
    )
    files = unzip(response.content)
    assert set(files) == {"README.txt", "data.json", "summary.html"}
    assert b"JSON" in files["README.txt"]


def test_customer_export_holds_the_customer_row_with_ssn_decrypted_and_references_named(
    admin_client, customer
):
    data = data_of(download(admin_client, customer_url(customer)).content)
    row = data["sections"]["customer"]

    assert data["format"] == "kartotek-subject-export"
    assert data["reason"] == REASON
    assert data["subject"] == {"kind": "customer", "id": str(customer.pk), "name": "Søren Ærø"}
    assert row["number"] == customer.number
    assert row["first_name"] == "Søren"
    assert row["ssn"] == SSN
    assert "ssn_encrypted" not in row and "ssn_index" not in row
    assert row["group"]["name"] == customer.group.name
    assert row["debtor"] == {
        "id": customer.debtor_id,
        "name": "Ærø Holding",
        "number": customer.debtor.number,
    }
    assert row["extra_fields"] == [
        {"label": "Allergies", "value": "Pollen", "field_deleted": False}
    ]
    assert row["created"].startswith(customer.created.date().isoformat())  # ISO 8601


def test_customer_export_holds_decrypted_entries_earlier_versions_consent_and_access_log(
    admin_client, customer, therapist
):
    data = data_of(download(admin_client, customer_url(customer)).content)
    sections = data["sections"]

    (record,) = sections["records"]
    (entry,) = record["entries"]
    assert record["title"] == "Left knee"
    assert (entry["title"], entry["body"]) == ("First visit", "Sore left knee.")
    assert entry["earlier_versions"][0]["body"] == "Sore knee."
    assert "body_encrypted" not in keys_in(sections)
    sms = [
        change
        for event in sections["consent_history"]
        for change in event["changes"]
        if event["by"] and change["preference"] == "prefers_sms"
    ]
    assert sms == [{"preference": "prefers_sms", "label": "SMS", "from": False, "to": True}]
    views = [line for line in sections["record_access_log"] if line["action"] == "view"]
    assert views[0]["by"]["name"] == therapist.get_full_name()
    assert views[0]["action_label"] == "Viewed"
    (person,) = sections["contact_persons"]
    assert person["phones"][0]["number"] == "+4520304050"
    assert sections["directory_contacts"][0]["name"].endswith("Doctor Dahl")
    assert sections["reservations"][0]["service"] == "Massage"


def test_data_json_is_indented_utf8_text(admin_client, customer):
    raw = unzip(download(admin_client, customer_url(customer)).content)["data.json"]

    assert "Søren".encode() in raw  # UTF-8, not \u escapes
    assert raw.startswith(b'{\n  "format"')


def test_summary_escapes_what_it_shows_and_loads_nothing(admin_client, therapist):
    customer = full_customer(by=therapist, first_name="<script>alert(1)</script>")

    summary = unzip(download(admin_client, customer_url(customer)).content)["summary.html"]
    html = summary.decode("utf-8")

    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Sore left knee." in html
    assert "src=" not in html and "href=" not in html and "://" not in html


def test_a_second_export_lists_the_first_among_earlier_exports(admin_client, customer):
    download(admin_client, customer_url(customer), reason="First request")

    data = data_of(download(admin_client, customer_url(customer), reason="Second").content)

    assert [line["reason"] for line in data["sections"]["earlier_exports"]] == ["First request"]


# Logging ----------------------------------------------------------------------------------


def test_an_export_is_logged_with_reason_user_address_and_an_access_line_per_record(
    admin_client, administrator, customer, therapist
):
    more_of_everything(customer, by=therapist, times=2)

    download(admin_client, customer_url(customer))

    log = SubjectExport.objects.get()
    assert (log.by, log.reason, log.address) == (administrator, REASON, "192.0.2.44")
    assert log.subject_kind == SubjectKind.CUSTOMER
    assert log.subject_id == customer.pk
    exported = RecordAccess.objects.filter(action=RecordAccess.Action.EXPORT)
    assert sorted(exported.values_list("record_id", flat=True)) == sorted(
        customer.records.values_list("id", flat=True)
    )
    assert {(line.user, line.address) for line in exported} == {(administrator, "192.0.2.44")}


def test_the_form_page_explains_the_file_and_logs_nothing(admin_client, customer):
    response = admin_client.get(customer_url(customer))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Records (journals)" in page and "logged" in page
    assert not SubjectExport.objects.exists()


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_missing_reason_is_asked_for_and_nothing_is_logged(admin_client, customer, reason):
    response = admin_client.post(customer_url(customer), {"reason": reason})

    assert response.status_code == 200
    assert "Say why the data is exported" in response.content.decode()
    assert not SubjectExport.objects.exists()
    assert not RecordAccess.objects.filter(action=RecordAccess.Action.EXPORT).exists()


@pytest.mark.parametrize("role", ["therapist", "receptionist", "nobody"])
def test_staff_other_than_administrators_get_403_and_nothing_is_logged(
    request, client_for, customer, role
):
    client = client_for(request.getfixturevalue(role))
    person = customer.contact_persons.get()

    for url in (customer_url(customer), person_url(person)):
        assert client.get(url).status_code == 403
        assert client.post(url, {"reason": REASON}).status_code == 403
    assert not SubjectExport.objects.exists()


def test_a_customers_export_asks_for_the_second_factor_first_and_logs_nothing(
    client_for, administrator, customer
):
    response = client_for(administrator).post(customer_url(customer), {"reason": REASON})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_setup"))
    assert not SubjectExport.objects.exists()


def test_an_unknown_subject_is_404(admin_client):
    customer = CustomerFactory()
    url = customer_url(customer)
    customer.delete()

    assert admin_client.get(url).status_code == 404


# The contact person's export ---------------------------------------------------------------


def test_a_contact_persons_export_holds_login_history_and_portal_permissions_never_the_password(
    admin_client, portal_admin
):
    ContactPersonPhoneFactory(person=portal_admin, number="+4540506070")
    login_history(portal_admin.portal_user.username)

    response = download(admin_client, person_url(portal_admin))
    data = data_of(response.content)
    sections = data["sections"]

    assert data["subject"]["kind"] == "person"
    assert sections["contact_person"]["customer"]["name"] == portal_admin.customer.name
    assert sections["phones"][0]["number"] == "+4540506070"
    assert sections["portal_access"]["admin_access"] is True
    assert Permission.BILLING.label in sections["portal_access"]["permissions_in_effect"]
    assert sections["portal_account"]["username"] == "ada@nordlys.example"
    history = sections["login_history"]
    assert [row["address"] for row in history["sign_ins"]] == ["203.0.113.9"]
    assert history["failed_sign_ins"][0]["locked_out"] is False
    assert history["failed_sign_in_counters"][0]["failures"] == 2
    assert history["failed_sign_in_counters"][0]["locked_until"]
    password = portal_admin.portal_user.password
    assert "password" not in keys_in(data)
    for content in unzip(response.content).values():
        assert password.encode() not in content
        assert password.split("$")[0].encode() not in content  # the hasher's name
    log = SubjectExport.objects.get()
    assert (log.subject_kind, log.subject_id) == ("person", portal_admin.pk)
    assert not RecordAccess.objects.exists()


def test_a_contact_person_without_a_login_has_no_account_and_no_login_history(
    admin_client, customer
):
    person = customer.contact_persons.get()

    sections = data_of(download(admin_client, person_url(person)).content)["sections"]

    assert sections["portal_access"] is None and sections["portal_account"] is None
    assert sections["login_history"] == {
        "sign_ins": [],
        "failed_sign_ins": [],
        "failed_sign_in_counters": [],
    }
    assert sections["consent_history"][-1]["changes"][0]["to"] is True


def test_a_contact_persons_login_history_leaves_out_other_logins(admin_client, portal_admin):
    login_history("someone.else@example.com")

    sections = data_of(download(admin_client, person_url(portal_admin)).content)["sections"]

    assert sections["login_history"]["sign_ins"] == []


# Queries ----------------------------------------------------------------------------------


def count_queries(subject_type, subject) -> int:
    with CaptureQueriesContext(connection) as queries:
        export.build_export(subject_type, subject, reason=REASON)
    return len(queries)


def test_an_export_reads_a_fixed_number_of_queries_whatever_the_amount_of_data(
    customer, therapist, django_assert_max_num_queries
):
    load = sections.CUSTOMER.queryset
    small = count_queries(sections.CUSTOMER, load().get(pk=customer.pk))
    more_of_everything(customer, by=therapist, times=4)

    subject = load().get(pk=customer.pk)

    with django_assert_max_num_queries(small):
        export.build_export(sections.CUSTOMER, subject, reason=REASON)
    assert small <= 16


def test_a_contact_persons_export_reads_a_fixed_number_of_queries(
    portal_admin, django_assert_max_num_queries
):
    person = sections.PERSON.queryset().get(pk=portal_admin.pk)
    login_history(portal_admin.email)
    for _ in range(3):
        ContactPersonPhoneFactory(person=person)

    with django_assert_max_num_queries(10):
        export.build_export(sections.PERSON, person, reason=REASON)


def page_queries(client, customer) -> int:
    with CaptureQueriesContext(connection) as queries:
        download(client, customer_url(customer))
    return len(queries)


def test_the_export_page_grows_only_by_the_access_log_line_of_each_record(
    admin_client, customer, therapist, django_assert_max_num_queries
):
    admin_client.get(customer_url(customer))  # settings cached, as on any later page
    one_record = page_queries(admin_client, customer)
    more_of_everything(customer, by=therapist, times=1)
    per_record = page_queries(admin_client, customer) - one_record
    more_of_everything(customer, by=therapist, times=4)  # 6 records, 18 entries, 6 persons

    with django_assert_max_num_queries(one_record + 5 * per_record):
        download(admin_client, customer_url(customer))
    # Writing one line of the chained access log: a lock, an id, the insert, its MAC.
    assert per_record <= 6


# The Privacy tab and the admin --------------------------------------------------------------


def test_the_privacy_tab_offers_an_export_of_the_customer_and_of_each_person_and_lists_exports(
    admin_client, customer
):
    person = customer.contact_persons.get()
    other = portal_contact(customer=customer, first_name="Per", last_name="Far")
    download(admin_client, customer_url(customer), reason="Letter from the customer")
    download(admin_client, person_url(person), reason="Email from the mother")

    response = admin_client.get(reverse("customers:detail", args=[customer.pk]) + "?tab=privacy")

    page = response.content.decode()
    assert customer_url(customer) in page
    assert person_url(person) in page and person_url(other) in page
    assert "Letter from the customer" in page and "Email from the mother" in page


def test_the_privacy_tab_lists_no_exports_of_other_customers(admin_client, customer, therapist):
    other = full_customer(by=therapist, first_name="Anna")
    download(admin_client, customer_url(other), reason="Not this customer")

    response = admin_client.get(reverse("customers:detail", args=[customer.pk]) + "?tab=privacy")

    assert "Not this customer" not in response.content.decode()


def test_the_export_log_is_read_only_in_the_admin(admin_client, customer):
    download(admin_client, customer_url(customer))
    model_admin = admin.site._registry[SubjectExport]

    response = admin_client.get(reverse("admin:privacy_subjectexport_changelist"))

    assert response.status_code == 200
    assert REASON in response.content.decode()
    assert not model_admin.has_add_permission(None)
    assert not model_admin.has_change_permission(None)
    assert not model_admin.has_delete_permission(None)


def test_json_dates_are_iso_8601(admin_client, customer):
    data = data_of(download(admin_client, customer_url(customer)).content)

    at = data["sections"]["record_access_log"][0]["at"]
    assert json.loads(json.dumps(at)).endswith("Z") and "T" in at


def test_an_erased_customer_kept_with_records_sees_the_erasure_and_until_when(
    admin_client, customer, administrator
):
    request = erase_customer(
        customer=customer,
        by=administrator,
        received=date(2026, 11, 20),
        reason="Clinical records are kept 10 years by law.",
    )

    data = data_of(download(admin_client, customer_url(customer)).content)["sections"]

    [line] = data["erasure_requests"]
    assert line["received"] == "2026-11-20"
    assert line["records_kept_until"] == request.records_kept_until.isoformat()
    assert line["why_records_are_kept"] == "Clinical records are kept 10 years by law."
    assert data["customer"]["email"] == ""
