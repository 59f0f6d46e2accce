"""The contact directory: categories and contacts, global to all customers."""

import pytest

from contacts.models import Contact, ContactCategory, CustomerContact
from customers.models import Customer
from tests.factories import (
    ContactCategoryFactory,
    ContactFactory,
    CustomerContactFactory,
    CustomerFactory,
)


@pytest.fixture
def client(client_for, receptionist):
    return client_for(receptionist)


def _contact(**changes):
    return {"last_name": "Holm", "first_name": "Ida", "email": "ida@lægehus.dk"} | changes


def test_creating_a_category_from_a_customer_lands_on_its_page(client):
    customer = CustomerFactory()
    response = client.post(
        f"/contacts/categories/new/?customer={customer.id}", {"name": "Doctors"}, follow=True
    )
    category = ContactCategory.objects.get()
    assert response.request["PATH_INFO"] == f"/contacts/categories/{category.pk}/"
    assert "Category Doctors created." in response.content.decode()
    assert f'href="/customers/{customer.id}/?tab=contacts"' in response.content.decode()


def test_category_names_are_unique_whatever_the_case(client):
    ContactCategoryFactory(name="Doctors")
    response = client.post("/contacts/categories/new/", {"name": "DOCTORS"}, follow=True)
    assert "A contact category with this name already exists." in response.content.decode()
    assert ContactCategory.objects.count() == 1


def test_category_is_renamed_at_the_top_of_its_page(client):
    category = ContactCategoryFactory(name="Doctors")
    client.post(f"/contacts/categories/{category.pk}/", {"rename-name": "GPs"})
    assert ContactCategory.objects.get().name == "GPs"


def test_new_contact_appears_at_the_bottom_of_its_category(client):
    category = ContactCategoryFactory(name="Doctors")
    ContactFactory(category=category, last_name="Aaberg")
    response = client.post(f"/contacts/categories/{category.pk}/new/", _contact(), follow=True)
    content = response.content.decode()
    assert "Contact Ida Holm created." in content
    assert content.index("Aaberg") < content.rindex("Ida Holm")


@pytest.mark.parametrize("missing", [{"email": ""}, {"last_name": ""}])
def test_contact_needs_a_name_and_an_email_or_phone(client, missing):
    category = ContactCategoryFactory()
    response = client.post(f"/contacts/categories/{category.pk}/new/", _contact(**missing))
    content = response.content.decode()
    assert "Enter an email address or a phone number." in content or "required" in content
    assert not Contact.objects.exists()


def test_a_phone_number_alone_is_enough(client):
    category = ContactCategoryFactory()
    client.post(f"/contacts/categories/{category.pk}/new/", _contact(email="", phone="86 12 34 56"))
    assert str(Contact.objects.get().phone) == "+4586123456"


def test_contact_is_edited(client):
    contact = ContactFactory(description="GP")
    data = _contact(description="Dermatologist")
    client.post(f"/contacts/{contact.pk}/edit/", data)
    assert Contact.objects.get().description == "Dermatologist"


def test_each_contact_shows_on_how_many_customers_it_is_used(client):
    contact = ContactFactory(last_name="Holm")
    CustomerContactFactory.create_batch(3, contact=contact)
    content = client.get(f"/contacts/categories/{contact.category_id}/").content.decode()
    assert "Used on 3 customers" in content


def test_delete_warning_counts_contacts_and_customer_links(client):
    category = ContactCategoryFactory(name="Doctors")
    first, second = ContactFactory.create_batch(2, category=category)
    customer = CustomerFactory()
    CustomerContactFactory(contact=first, customer=customer)
    CustomerContactFactory(contact=second, customer=customer)
    CustomerContactFactory(contact=second)
    content = client.get(f"/contacts/categories/{category.pk}/delete/").content.decode()
    assert "<strong>2 contacts</strong>" in content
    assert "their <strong>3 places</strong> on customer profiles (2 customers)" in content
    assert ContactCategory.objects.exists()


def test_deleting_a_category_takes_its_contacts_and_links_but_not_customers(client):
    category = ContactCategoryFactory(name="Doctors")
    CustomerContactFactory(contact=ContactFactory(category=category))
    response = client.post(f"/contacts/categories/{category.pk}/delete/", follow=True)
    assert "Category Doctors deleted with its 1 contact." in response.content.decode()
    assert "1 place on a customer profile removed." in response.content.decode()
    assert not Contact.objects.exists()
    assert not CustomerContact.objects.exists()
    assert CustomerFactory._meta.model.objects.count() == 1


def test_therapist_may_use_the_directory_but_nobody_else(client_for, therapist, nobody):
    assert client_for(therapist).get("/contacts/").status_code == 200
    assert client_for(nobody).get("/contacts/").status_code == 403
    assert client_for(nobody).post("/contacts/categories/new/", {"name": "X"}).status_code == 403
    assert not ContactCategory.objects.exists()


def test_a_likely_duplicate_is_pointed_out_and_can_still_be_saved(client):
    category = ContactCategoryFactory(name="Doctors")
    existing = ContactFactory(first_name="Ida", last_name="Holm", email="ida@holm.dk")
    url = f"/contacts/categories/{category.pk}/new/"
    first = client.post(url, _contact(first_name="Ida", last_name="Holm", email="IDA@holm.dk"))
    content = first.content.decode()
    assert "Possible duplicate." in content
    assert f'href="/contacts/categories/{existing.category_id}/"' in content
    assert Contact.objects.count() == 1
    second = client.post(
        url, _contact(first_name="Ida", last_name="Holm", email="IDA@holm.dk", save_anyway="1")
    )
    assert second.status_code == 302
    assert Contact.objects.count() == 2


def test_same_phone_with_a_similar_name_is_a_likely_duplicate(client):
    category = ContactCategoryFactory()
    ContactFactory(first_name="Ida", last_name="Holm-Berg", email="", phone="+4586123456")
    response = client.post(
        f"/contacts/categories/{category.pk}/new/",
        _contact(email="", phone="86 12 34 56"),
    )
    assert "Possible duplicate." in response.content.decode()


def test_a_namesake_with_other_contact_details_is_no_duplicate(client):
    category = ContactCategoryFactory()
    ContactFactory(first_name="Ida", last_name="Holm", email="other@x.dk")
    response = client.post(f"/contacts/categories/{category.pk}/new/", _contact())
    assert response.status_code == 302
    assert Contact.objects.count() == 2


def test_directory_searches_all_contacts_across_categories(client, django_assert_max_num_queries):
    ContactFactory(last_name="Holm", description="Dermatologist", category__name="Skin")
    ContactFactory(last_name="Berg", description="GP", category__name="Doctors")
    ContactFactory(last_name="Lund", description="Caseworker", phone="+4586123456")
    for query, found, absent in [
        ("dermat", "Holm", "Berg"),
        ("doctors", "Berg", "Holm"),
        ("8612", "Lund", "Berg"),
    ]:
        # Session, user with permissions, the categories with their kept counts, and
        # search() as one query.
        with django_assert_max_num_queries(4):
            content = client.get("/contacts/", {"q": query}).content.decode()
        assert found in content
        assert absent not in content


def test_a_new_contact_lands_on_the_last_page_of_a_long_category(client):
    category = ContactCategoryFactory(name="Doctors")
    ContactFactory.create_batch(51, category=category)
    response = client.post(f"/contacts/categories/{category.pk}/new/", _contact(), follow=True)
    content = response.content.decode()
    assert response.request["QUERY_STRING"] == "page=last"
    assert "Ida Holm" in content
    assert '<span class="page-link">Next</span>' in content


def test_category_page_query_count_does_not_grow_with_its_contacts(
    client, django_assert_max_num_queries
):
    category = ContactCategoryFactory(name="Doctors")
    for contact in ContactFactory.create_batch(30, category=category):
        CustomerContactFactory.create_batch(2, contact=contact)
    with django_assert_max_num_queries(8):
        response = client.get(f"/contacts/categories/{category.pk}/")
    assert response.content.decode().count("Used on 2 customers") == 30


def test_staff_open_the_customers_a_contact_is_used_on(client):
    contact = ContactFactory(last_name="Holm")
    CustomerContactFactory(contact=contact, customer__first_name="Asta", customer__last_name="Berg")
    CustomerFactory(first_name="Otto", last_name="Lund")
    page = client.get(f"/contacts/categories/{contact.category_id}/").content.decode()
    assert f'href="/contacts/{contact.pk}/customers/">Used on 1 customer<' in page
    content = client.get(f"/contacts/{contact.pk}/customers/").content.decode()
    assert "Asta Berg" in content
    assert "Otto Lund" not in content


def test_deleting_a_contact_warns_how_many_profiles_lose_it(client):
    contact = ContactFactory(last_name="Holm")
    CustomerContactFactory.create_batch(2, contact=contact)
    warning = client.get(f"/contacts/{contact.pk}/delete/").content.decode()
    assert "2 customers" in warning
    assert Contact.objects.exists()  # asking changed nothing
    response = client.post(f"/contacts/{contact.pk}/delete/", follow=True)
    assert "2 places on customer profiles removed" in response.content.decode()
    assert not Contact.objects.exists()
    assert not CustomerContact.objects.exists()
    assert Customer.objects.count() == 2


def test_staff_without_permission_cannot_delete_directory_contacts(client_for, nobody):
    contact = ContactFactory()
    assert client_for(nobody).post(f"/contacts/{contact.pk}/delete/").status_code == 403
    assert Contact.objects.exists()


# Errors at their fields


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_an_empty_category_name_is_refused_at_the_name_field(client, htmx):
    customer = CustomerFactory()
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.post(
        f"/contacts/categories/new/?customer={customer.id}", {"name": ""}, headers=headers
    )
    assert response.status_code == 200
    assert response.context["category_form"].errors["name"] == ["This field is required."]
    content = response.content.decode()
    assert 'id="error_1_id_name"' in content
    assert 'class="alert' not in content
    assert not ContactCategory.objects.exists()


def test_a_taken_category_name_is_refused_at_the_name_field(client):
    ContactCategoryFactory(name="Doctors")
    response = client.post("/contacts/categories/new/", {"name": "DOCTORS"})
    assert response.context["category_form"].errors["name"] == [
        "A contact category with this name already exists."
    ]
    assert not response.context["category_form"].non_field_errors()


def test_a_category_created_through_htmx_opens_its_page(client):
    response = client.post(
        "/contacts/categories/new/", {"name": "Doctors"}, headers={"HX-Request": "true"}
    )
    assert response["HX-Redirect"] == f"/contacts/categories/{ContactCategory.objects.get().pk}/"


def test_email_or_phone_is_asked_for_at_the_email_and_phone_group(client):
    category = ContactCategoryFactory()
    response = client.post(
        f"/contacts/categories/{category.pk}/new/", _contact(email="", last_name="")
    )
    form = response.context["form"]
    assert form.errors["email"] == ["Enter an email address or a phone number."]
    assert form.errors["last_name"] == ["This field is required."]
    assert not form.non_field_errors()
    content = response.content.decode()
    group = content[content.index("<legend") : content.index("</fieldset>")]
    assert "Enter an email address or a phone number." in group
    assert not Contact.objects.exists()


def test_required_fields_and_the_email_or_phone_group_are_marked(client):
    contact = ContactFactory()
    content = client.get(f"/contacts/{contact.pk}/edit/").content.decode()
    assert "Fields marked * are required." in content
    assert 'Last name or organisation name<span class="asteriskField">*</span>' in content
    assert 'Email or phone<span class="asteriskField">*</span></legend>' in content


# The new-contact form on the category page


def test_the_new_contact_form_is_on_the_category_page(client):
    category = ContactCategoryFactory(name="Doctors")
    content = client.get(f"/contacts/categories/{category.pk}/").content.decode()
    assert f'action="/contacts/categories/{category.pk}/new/#new-contact"' in content
    assert 'name="last_name"' in content
    new_page = client.get(f"/contacts/categories/{category.pk}/new/")
    assert new_page.status_code == 302
    assert new_page["Location"] == f"/contacts/categories/{category.pk}/#new-contact"


def test_a_new_contact_to_correct_comes_back_on_the_category_page(client):
    category = ContactCategoryFactory(name="Doctors")
    ContactFactory(category=category, last_name="Aaberg")
    response = client.post(f"/contacts/categories/{category.pk}/new/", _contact(last_name=""))
    assert response.templates[0].name == "contacts/category_detail.html"
    content = response.content.decode()
    assert "Aaberg" in content
    assert 'value="ida@lægehus.dk"' in content
    assert f'action="/contacts/categories/{category.pk}/"' in content  # rename still renames


# Navigation


def test_saving_a_contact_edited_from_its_category_page_returns_there(client):
    customer = CustomerFactory()
    contact = ContactFactory()
    category_page = f"/contacts/categories/{contact.category_id}/?customer={customer.id}"
    content = client.get(category_page).content.decode()
    edit_link = (
        f"/contacts/{contact.pk}/edit/?customer={customer.id}"
        f"&amp;next=/contacts/categories/{contact.category_id}/%3Fcustomer%3D{customer.id}"
    )
    assert edit_link in content
    response = client.post(
        f"/contacts/{contact.pk}/edit/?customer={customer.id}",
        _contact(next=category_page),
    )
    assert response["Location"] == category_page


def test_saving_a_contact_edited_from_the_customer_tab_returns_to_the_tab(
    client, customer_settings
):
    customer = CustomerFactory()
    link = CustomerContactFactory(customer=customer)
    tab = f"/customers/{customer.id}/?tab=contacts"
    assert "next=/customers/" in client.get(tab).content.decode()
    response = client.post(f"/contacts/{link.contact_id}/edit/", _contact(next=tab))
    assert response["Location"] == tab


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", "customers:list"])
def test_a_next_that_is_not_a_page_of_this_site_returns_to_the_category(client, next_url):
    contact = ContactFactory()
    response = client.post(f"/contacts/{contact.pk}/edit/", _contact(next=next_url))
    assert response["Location"] == f"/contacts/categories/{contact.category_id}/"


def _breadcrumbs(content: str) -> str:
    start = content.index('<nav aria-label="breadcrumb">')
    return " ".join(content[start : content.index("</nav>", start)].split())


def test_category_page_and_contact_pages_share_one_breadcrumb_trail(client):
    customer = CustomerFactory(first_name="Asta", last_name="Berg")
    contact = ContactFactory(category__name="Doctors")
    query = f"?customer={customer.id}"
    category_trail = _breadcrumbs(
        client.get(f"/contacts/categories/{contact.category_id}/{query}").content.decode()
    )
    edit_trail = _breadcrumbs(client.get(f"/contacts/{contact.pk}/edit/{query}").content.decode())
    assert "Asta Berg" in category_trail
    assert edit_trail.startswith(category_trail.split('<li class="breadcrumb-item active"')[0])
    assert f'<a href="/contacts/categories/{contact.category_id}/{query}">Doctors</a>' in edit_trail


def _active_menu_item(content: str) -> str:
    nav = content[: content.index("</nav>")]
    before = nav[: nav.index('active" aria-current="page"')]
    after = nav[nav.index('active" aria-current="page"') :]
    return after[after.index(">") + 1 : after.index("</a>")].strip() if before else ""


def test_contact_person_pages_highlight_customers_in_the_menu(client):
    from tests.factories import ContactPersonFactory

    person = ContactPersonFactory()
    for url in (
        f"/contacts/persons/{person.pk}/",
        f"/contacts/persons/{person.pk}/edit/",
        f"/contacts/customer/{person.customer_id}/persons/new/",
    ):
        assert _active_menu_item(client.get(url).content.decode()) == "Customers"
    assert _active_menu_item(client.get("/contacts/").content.decode()) == "Contacts"


# Editing a shared directory contact


def test_the_edit_page_says_the_change_reaches_every_customer_who_has_the_contact(client):
    contact = ContactFactory(category__name="Doctors")
    content = client.get(f"/contacts/{contact.pk}/edit/").content.decode()
    assert "saving changes it" not in content
    CustomerContactFactory(contact=contact)
    content = " ".join(client.get(f"/contacts/{contact.pk}/edit/").content.decode().split())
    assert "saving changes it on the profile of the 1 customer who has it." in content
    CustomerContactFactory(contact=contact)
    content = " ".join(client.get(f"/contacts/{contact.pk}/edit/").content.decode().split())
    assert "saving changes it on the profiles of all 2 customers who have it." in content
