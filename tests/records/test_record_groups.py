"""Record groups: named templates kept by staff with the permission; rich text sanitised on
whichever path it is saved (staff page or admin); inactive groups not offered."""

import pytest
from django.contrib import admin
from django.urls import reverse

from records import services
from records.admin import RecordGroupAdmin, RecordGroupAdminForm
from records.models import RecordGroup
from tests.factories import login_with_second_factor

pytestmark = pytest.mark.django_db


def test_a_rich_template_is_sanitised_on_the_staff_page(therapist_client, customer_settings):
    customer_settings(record_editor_enabled=True)
    response = therapist_client.post(
        reverse("records:group_create"),
        {
            "name": "Assessment",
            "template": "<table><tr><td>ROM</td></tr></table><script>x()</script>",
            "is_active": "on",
        },
        follow=True,
    )
    group = RecordGroup.objects.get()
    assert group.rich_text is True
    assert group.template == "<table><tbody><tr><td>ROM</td></tr></tbody></table>"
    assert "Record group “Assessment” created." in response.content.decode()


def test_the_admin_sanitises_too(customer_settings):
    customer_settings(record_editor_enabled=True)
    form = RecordGroupAdminForm(
        {"name": "Admin made", "template": '<p onclick="x()">Hi</p>', "is_active": "on"}
    )
    assert form.is_valid(), form.errors
    group = form.save(commit=False)
    RecordGroupAdmin(RecordGroup, admin.site).save_model(None, group, form, change=False)
    assert RecordGroup.objects.get(pk=group.pk).template == "<p>Hi</p>"


def test_a_plain_template_is_kept_as_written(therapist_client, customer_settings):
    customer_settings(record_editor_enabled=False)
    therapist_client.post(
        reverse("records:group_create"),
        {"name": "Plain", "template": "Pain <1-10>:", "is_active": "on"},
    )
    group = RecordGroup.objects.get()
    assert (group.template, group.rich_text) == ("Pain <1-10>:", False)


def test_names_are_unique_whatever_the_case(therapist_client):
    RecordGroup.objects.create(name="Assessment")
    response = therapist_client.post(
        reverse("records:group_create"), {"name": "ASSESSMENT", "template": "", "is_active": "on"}
    )
    assert "A record group with this name already exists." in response.content.decode()
    assert RecordGroup.objects.count() == 1


def test_an_inactive_group_is_not_offered_for_new_entries(therapist_client, customer, record):
    RecordGroup.objects.create(name="Current form")
    RecordGroup.objects.create(name="Retired form", is_active=False)
    html = therapist_client.get(
        reverse("customers:detail", args=[customer.pk]) + "?tab=record"
    ).content.decode()
    assert "Current form" in html
    assert "Retired form" not in html


def test_groups_are_listed_and_edited(therapist_client):
    group = RecordGroup.objects.create(name="Assessment")
    assert "Assessment" in therapist_client.get(reverse("records:groups")).content.decode()
    therapist_client.post(
        reverse("records:group_edit", args=[group.pk]), {"name": "First assessment", "template": ""}
    )
    group.refresh_from_db()
    assert (group.name, group.is_active) == ("First assessment", False)


def test_staff_without_the_permission_cannot_keep_groups(client, receptionist):
    login_with_second_factor(client, receptionist)
    assert client.get(reverse("records:groups")).status_code == 403
    assert client.post(reverse("records:group_create"), {"name": "x"}).status_code == 403
    assert not RecordGroup.objects.exists()


def test_the_service_sanitises_a_rich_template_whoever_calls_it(customer_settings):
    customer_settings(record_editor_enabled=True)
    group = services.record_group_create(name="Script", template="<p>Hi</p><script>x()</script>")
    assert RecordGroup.objects.get(pk=group.pk).template == "<p>Hi</p>"
    services.record_group_update(
        group=group, name="Script", template='<p onclick="x()">Yo</p>', is_active=True
    )
    assert RecordGroup.objects.get(pk=group.pk).template == "<p>Yo</p>"
