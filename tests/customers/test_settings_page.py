"""Back-end › Customer: every setting with its explanation, saved with Update, guarded."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from customers.forms import CustomerSettingsForm
from customers.models import CustomerSettings
from customers.services import CustomerChange, customer_create
from tests.factories import CustomerFactory

URL = "/customers/settings/"


def _post_values(**changes):
    """The settings page's form as the browser would post it, with `changes`."""
    form = CustomerSettingsForm(instance=CustomerSettings.load())
    data = {}
    for name in form.fields:
        value = form.initial.get(name)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
    for name, value in changes.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = "on" if value is True else value
    return data


def test_every_setting_is_on_the_page_with_its_explanation(client_for, administrator):
    content = client_for(administrator).get(URL).content.decode()
    for field in CustomerSettings._meta.concrete_fields:
        if field.name == "id":
            continue
        assert str(field.verbose_name) in content.replace("&#x27;", "'"), field.name
        assert str(field.help_text).split("“")[0][:30] in content, field.name


def test_every_setting_belongs_to_a_section_of_the_page():
    model_fields = [f.name for f in CustomerSettings._meta.concrete_fields if f.name != "id"]
    assert sorted(CustomerSettingsForm.Meta.fields) == sorted(model_fields)


def test_update_saves_ticked_settings_and_says_so(client_for, administrator):
    client = client_for(administrator)
    response = client.post(URL, _post_values(gender_enabled=True, age_alert_age=16), follow=True)
    assert "The customer settings have been updated." in response.content.decode()
    settings = CustomerSettings.load()
    assert settings.gender_enabled is True
    assert settings.age_alert_age == 16


def test_unticking_a_box_turns_the_setting_off(client_for, administrator, customer_settings):
    customer_settings(date_of_birth_enabled=True)
    client_for(administrator).post(URL, _post_values(date_of_birth_enabled=False))
    assert CustomerSettings.load().date_of_birth_enabled is False


@pytest.mark.parametrize("role_user", ["therapist", "receptionist", "nobody"])
def test_only_users_with_the_settings_permission_may_open_or_change_it(
    request, client_for, role_user
):
    client = client_for(request.getfixturevalue(role_user))
    assert client.get(URL).status_code == 403
    assert client.post(URL, _post_values(gender_enabled=True)).status_code == 403
    assert CustomerSettings.load().gender_enabled is False


def test_ssn_unique_cannot_be_switched_on_while_duplicates_exist(
    client_for, administrator, customer_settings
):
    customer_settings(ssn_enabled=True, ssn_unique=False)
    fields = {"kind": "private", "first_name": "Ea", "last_name": "Holm"}
    first = customer_create(change=CustomerChange(fields=fields, ssn="010190-1234"))
    second = customer_create(change=CustomerChange(fields=fields, ssn="0101901234"))
    response = client_for(administrator).post(URL, _post_values(ssn_unique=True))
    content = response.content.decode()
    assert "Some customers share a social security number" in content
    assert f"/customers/{first.id}/" in content
    assert f"/customers/{second.id}/" in content
    assert CustomerSettings.load().ssn_unique is False


def test_next_customer_number_used_by_a_customer_is_refused(
    client_for, administrator, customer_settings
):
    customer_settings(auto_customer_numbers=True)
    holder = CustomerFactory(number=500)
    response = client_for(administrator).post(URL, _post_values(next_customer_number=500))
    content = response.content.decode()
    assert "Customer number 500 is already used by" in content
    assert f"/customers/{holder.id}/" in content
    assert CustomerSettings.load().next_customer_number != 500


def test_must_be_activated_needs_can_share_debtor(client_for, administrator):
    response = client_for(administrator).post(
        URL, _post_values(share_debtor_must_be_activated=True, can_share_debtor=False)
    )
    assert "Tick “Can share debtor” as well." in response.content.decode()
    assert CustomerSettings.load().share_debtor_must_be_activated is False


def test_age_alert_age_must_be_a_sensible_age(client_for, administrator):
    response = client_for(administrator).post(URL, _post_values(age_alert_age=0))
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert CustomerSettings.load().age_alert_age == 18


def test_settings_are_read_at_most_once_per_request(client_for, administrator, customer_settings):
    customer_settings(age_alert_enabled=True, ssn_enabled=True)
    CustomerFactory.create_batch(5)
    client = client_for(administrator)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/customers/").status_code == 200
    reads = [q for q in queries if 'FROM "customers_customersettings"' in q["sql"]]
    assert len(reads) <= 1  # none while cached since sign-in (CustomerSettings.for_request)


def test_admin_offers_no_add_or_delete_of_the_settings_row(client_for, administrator):
    client = client_for(administrator)
    assert client.get("/admin/customers/customersettings/add/").status_code == 403
    assert client.get("/admin/customers/customersettings/1/delete/").status_code == 403
    assert client.get("/admin/customers/customersettings/1/change/").status_code == 200


def test_admin_change_obeys_the_same_rules(client_for, administrator, customer_settings):
    customer_settings(auto_customer_numbers=True)
    CustomerFactory(number=77)
    data = _post_values(next_customer_number=77)
    response = client_for(administrator).post("/admin/customers/customersettings/1/change/", data)
    assert "Customer number 77 is already used by" in response.content.decode()
    assert CustomerSettings.load().next_customer_number != 77
