"""Staff pages of the contact directory and a customer's Contacts tab.

They all exist only while "Show contacts" is on in Back-end › Customer (@contacts_shown):
the setting switches the directory on for the clinic (shared/seeds/001_*, "See Contacts").
A customer's own contact persons (contacts.views.persons) do not depend on it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from config.http import AuthenticatedHttpRequest, local_url
from config.pagination import KeysetPaginator
from config.spreadsheet import csv_response
from contacts import services, transfer
from contacts.forms import CategoryForm, ContactChoiceForm, ContactForm, ImportForm
from contacts.models import Contact, ContactCategory, CustomerContact
from customers.models import Customer
from customers.profile import tab_url
from customers.switches import switched_on

CHOICES_SHOWN = 20
DIRECTORY_RESULTS = 100
CONTACTS_PER_PAGE = 50
CUSTOMERS_PER_PAGE = 50
# Contact.Meta's ordering, served by the contact_category_created index.
CATEGORY_CONTACTS_ORDER = ("created", "id")


def _customer_from_query(request: AuthenticatedHttpRequest) -> Customer | None:
    """The customer whose Contacts tab the user came from (?customer=<id>), if any."""
    try:
        customer_id = request.GET.get("customer") or None
        return Customer.objects.filter(id=customer_id).first() if customer_id else None
    except ValidationError:
        return None  # not a UUID


def _with_customer(url: str, customer: Customer | None) -> str:
    return f"{url}?customer={customer.id}" if customer else url


def _places_removed(count: int) -> str:
    return ngettext(
        "%(count)d place on a customer profile removed.",
        "%(count)d places on customer profiles removed.",
        count,
    ) % {"count": count}


def _to_contacts_tab(customer: Customer) -> HttpResponse:
    return redirect(tab_url(customer.id, "contacts"))


contacts_shown = switched_on("show_contacts", "Contacts are switched off in Back-end › Customer.")


def customer_tab_context(request: AuthenticatedHttpRequest, customer: Customer) -> dict:
    """The Contacts tab: the customer's chosen contacts, grouped by category."""
    links = (
        CustomerContact.objects.filter(customer=customer)
        .select_related("contact__category")
        .order_by(Lower("contact__category__name"), "contact__last_name", "contact__id")
    )
    return {"contact_links": links, "category_form": CategoryForm()}


@contacts_shown
@permission_required("contacts.view_contactcategory", raise_exception=True)
def directory(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The staff Contacts section: every category, with how many contacts it holds."""
    categories = ContactCategory.objects.order_by(Lower("name"))
    query = request.GET.get("q", "").strip()
    found = (
        Contact.objects.select_related("category")
        .with_customer_count()
        .search(query, DIRECTORY_RESULTS)
    )
    context = {
        "categories": categories,
        "category_form": CategoryForm(),
        "query": query,
        "found": found,
    }
    return render(request, "contacts/directory.html", context)


@contacts_shown
@require_POST
@permission_required("contacts.add_contactcategory", raise_exception=True)
def category_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Create a category from the form on the directory page or a customer's Contacts
    tab. A name to correct comes back at the field: in place (htmx), or on a page of its
    own when the form was posted without the script."""
    customer = _customer_from_query(request)
    form = CategoryForm(request.POST)
    if not form.is_valid():
        template = "contacts/category_create.html"
        context = {"category_form": form, "customer": customer}
        return render(request, f"{template}#form" if request.htmx else template, context)
    category = form.save()
    messages.success(request, f"Category {category.name} created. Now add its contacts.")
    target = _with_customer(reverse("contacts:category", args=[category.pk]), customer)
    return HttpResponseClientRedirect(target) if request.htmx else redirect(target)


@contacts_shown
@permission_required("contacts.view_contactcategory", raise_exception=True)
def category_detail(request: AuthenticatedHttpRequest, category_id: int) -> HttpResponse:
    """The "Edit category" page: rename at the top, contacts below, the form for a new
    contact under them (the guide's "Create new contact"), delete at the bottom."""
    category = get_object_or_404(ContactCategory, pk=category_id)
    rename_form = CategoryForm(request.POST or None, instance=category, prefix="rename")
    if request.method == "POST":
        if not request.user.has_perm("contacts.change_contactcategory"):
            raise PermissionDenied
        if rename_form.is_valid():
            rename_form.save()
            messages.success(request, "Category renamed.")
            return redirect(request.get_full_path())
    return _category_page(request, category, rename_form=rename_form)


def _category_page(
    request: AuthenticatedHttpRequest,
    category: ContactCategory,
    *,
    rename_form: CategoryForm | None = None,
    contact_form: ContactForm | None = None,
    duplicates: list[Contact] | None = None,
) -> HttpResponse:
    # New contacts go to the bottom of the list: ?page=last opens the page that shows them.
    page = KeysetPaginator(
        category.contacts.with_customer_count(),
        ordering=CATEGORY_CONTACTS_ORDER,
        per_page=CONTACTS_PER_PAGE,
    ).page_for(request.GET)
    context = {
        "category": category,
        "rename_form": rename_form or CategoryForm(instance=category, prefix="rename"),
        "form": contact_form or ContactForm(instance=Contact(category=category)),
        "duplicates": duplicates or [],
        "page": page,
        "customer": _customer_from_query(request),
    }
    return render(request, "contacts/category_detail.html", context)


@contacts_shown
@permission_required("contacts.delete_contactcategory", raise_exception=True)
def category_delete(request: AuthenticatedHttpRequest, category_id: int) -> HttpResponse:
    category = get_object_or_404(ContactCategory, pk=category_id)
    customer = _customer_from_query(request)
    if request.method == "POST":
        gone = services.category_delete(category=category)
        deleted = ngettext(
            "Category %(name)s deleted with its %(count)d contact.",
            "Category %(name)s deleted with its %(count)d contacts.",
            gone.contacts,
        ) % {"name": category.name, "count": gone.contacts}
        messages.success(request, f"{deleted} {_places_removed(gone.customer_links)}")
        if customer:
            return _to_contacts_tab(customer)
        return redirect("contacts:directory")
    context = {
        "category": category,
        "counts": services.category_deletion(category),
        "customer": customer,
    }
    return render(request, "contacts/category_confirm_delete.html", context)


@contacts_shown
@permission_required("contacts.add_contact", raise_exception=True)
def contact_create(request: AuthenticatedHttpRequest, category_id: int) -> HttpResponse:
    """The new-contact form of the category page posts here; what needs correcting (or a
    possible duplicate) comes back on the category page, at the form."""
    category = get_object_or_404(ContactCategory, pk=category_id)
    customer = _customer_from_query(request)
    target = _with_customer(reverse("contacts:category", args=[category.pk]), customer)
    if request.method != "POST":
        return redirect(f"{target}#new-contact")
    form = ContactForm(request.POST, instance=Contact(category=category))
    duplicates = []
    if form.is_valid():
        # A hint, not a rule: the user sees the look-alikes and may save anyway.
        if not request.POST.get("save_anyway"):
            duplicates = list(Contact.objects.possible_duplicates(form.instance)[:5])
        if not duplicates:
            contact = form.save()
            messages.success(request, f"Contact {contact.name} created.")
            separator = "&" if customer else "?"
            return redirect(f"{target}{separator}page=last#contact-{contact.pk}")
    return _category_page(request, category, contact_form=form, duplicates=duplicates)


@contacts_shown
@permission_required("contacts.change_contact", raise_exception=True)
def contact_edit(request: AuthenticatedHttpRequest, contact_id: int) -> HttpResponse:
    """Edit a directory contact. It is the same contact on every customer's profile that
    shows it, and the page says so; saving returns to where the user came from (`next`)."""
    contacts = Contact.objects.select_related("category").with_customer_count()
    contact = get_object_or_404(contacts, pk=contact_id)
    customer = _customer_from_query(request)
    back = local_url(request, request.POST.get("next") or request.GET.get("next")) or reverse(
        "contacts:category", args=[contact.category_id]
    )
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Contact {contact.name} saved.")
        return redirect(back)
    context = {
        "form": form,
        "category": contact.category,
        "contact": contact,
        "customer": customer,
        "back": back,
    }
    return render(request, "contacts/contact_form.html", context)


@contacts_shown
@permission_required("contacts.delete_contact", raise_exception=True)
def contact_delete(request: AuthenticatedHttpRequest, contact_id: int) -> HttpResponse:
    """Delete a directory contact, after a warning that says on how many customers'
    profiles it is (it goes from all of them)."""
    contact = get_object_or_404(
        Contact.objects.select_related("category").with_customer_count(), pk=contact_id
    )
    customer = _customer_from_query(request)
    if request.method == "POST":
        gone = services.contact_delete(contact=contact)
        deleted = gettext("Contact %(name)s deleted.") % {"name": contact.name}
        messages.success(request, f"{deleted} {_places_removed(gone)}")
        return redirect(
            _with_customer(reverse("contacts:category", args=[contact.category_id]), customer)
        )
    context = {"contact": contact, "category": contact.category, "customer": customer}
    return render(request, "contacts/contact_confirm_delete.html", context)


@contacts_shown
@permission_required(["contacts.view_contact", "customers.view_customer"], raise_exception=True)
def contact_customers(request: AuthenticatedHttpRequest, contact_id: int) -> HttpResponse:
    """The customers whose profiles show this contact."""
    contact = get_object_or_404(Contact.objects.select_related("category"), pk=contact_id)
    customers = Customer.objects.filter(directory_links__contact=contact)
    # Customer.Meta's ordering (its customer_name_order index); the number makes it unique.
    page = KeysetPaginator(
        customers,
        ordering=("last_name", "first_name", "company_name", "number"),
        per_page=CUSTOMERS_PER_PAGE,
    ).page_for(request.GET)
    context = {"contact": contact, "category": contact.category, "page": page}
    return render(request, "contacts/contact_customers.html", context)


@contacts_shown
@permission_required(["customers.change_customer", "contacts.view_contact"], raise_exception=True)
def customer_contact_choose(request: AuthenticatedHttpRequest, customer_id) -> HttpResponse:
    """Search the directory (htmx type-ahead) and put the chosen contact on the profile."""
    customer = get_object_or_404(Customer, id=customer_id)
    if request.method == "POST":
        choice = ContactChoiceForm(request.POST)
        if not choice.is_valid():
            messages.error(request, "That contact no longer exists.")
        else:
            contact = choice.cleaned_data["contact"]
            try:
                services.customer_contact_add(customer=customer, contact=contact)
            except ValidationError as error:
                messages.error(request, error.messages[0])
            else:
                messages.success(request, f"{contact.name} added to {customer.name}'s contacts.")
        return _to_contacts_tab(customer)
    query = request.GET.get("q", "").strip()
    # Contacts already on the profile are found too, and said to be: "no match" for a
    # name the user can see on the tab would send them looking for a typo.
    already_chosen = CustomerContact.objects.filter(customer=customer, contact=OuterRef("pk"))
    choices = (
        Contact.objects.annotate(already_chosen=Exists(already_chosen))
        .select_related("category")
        .search(query, CHOICES_SHOWN)
    )
    context = {"customer": customer, "query": query, "choices": choices}
    return render(request, "contacts/partials/choices.html", context)


@contacts_shown
@permission_required("customers.change_customer", raise_exception=True)
def customer_contact_remove(
    request: AuthenticatedHttpRequest, customer_id, contact_id: int
) -> HttpResponse:
    customer = get_object_or_404(Customer, id=customer_id)
    link = get_object_or_404(
        CustomerContact.objects.select_related("contact"), customer=customer, contact_id=contact_id
    )
    if request.method == "POST":
        services.customer_contact_remove(customer=customer, contact=link.contact)
        messages.success(
            request,
            f"{link.contact.name} removed from {customer.name}'s contacts "
            "(still in the directory).",
        )
        return _to_contacts_tab(customer)
    context = {"customer": customer, "contact": link.contact}
    return render(request, "contacts/customer_contact_confirm_remove.html", context)


IMPORT_SESSION_KEY = "contact_import"


def _export_contacts(category: ContactCategory):
    return category.contacts.order_by("created", "id")


@contacts_shown
@permission_required("contacts.view_contact", raise_exception=True)
def category_export_csv(request: AuthenticatedHttpRequest, category_id: int) -> HttpResponseBase:
    category = get_object_or_404(ContactCategory, pk=category_id)
    filename = f"{slugify(category.name) or 'contacts'}.csv"
    return csv_response(filename, transfer.HEADER, transfer.csv_rows(_export_contacts(category)))


@contacts_shown
@permission_required("contacts.view_contact", raise_exception=True)
def category_export_vcard(request: AuthenticatedHttpRequest, category_id: int) -> HttpResponse:
    category = get_object_or_404(ContactCategory, pk=category_id)
    cards = "".join(transfer.vcards(_export_contacts(category), category))
    response = HttpResponse(cards, content_type="text/vcard; charset=utf-8")
    filename = f"{slugify(category.name) or 'contacts'}.vcf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@contacts_shown
@permission_required("contacts.add_contact", raise_exception=True)
def category_import(request: AuthenticatedHttpRequest, category_id: int) -> HttpResponse:
    """Upload a CSV file and see what would be imported, row by row, before anything is."""
    category = get_object_or_404(ContactCategory, pk=category_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        try:
            preview = transfer.read_csv(form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error)
        else:
            # The checked file waits in the session (stored in the database, so any app
            # server can take the confirmation) until the user imports or leaves it.
            request.session[IMPORT_SESSION_KEY] = {
                "category": category.pk,
                "text": form.cleaned_data["file"],
            }
    context = {"category": category, "form": form, "preview": preview}
    return render(request, "contacts/category_import.html", context)


@contacts_shown
@require_POST
@permission_required("contacts.add_contact", raise_exception=True)
def category_import_confirm(request: AuthenticatedHttpRequest, category_id: int) -> HttpResponse:
    category = get_object_or_404(ContactCategory, pk=category_id)
    pending = request.session.get(IMPORT_SESSION_KEY)
    if not pending or pending.get("category") != category.pk:
        messages.error(request, "Upload the file again: the checked file is no longer here.")
        return redirect("contacts:category_import", category.pk)
    try:
        preview = transfer.read_csv(pending["text"])
    except ValidationError:
        # Checked when uploaded; only a change to the rules since then gets here.
        del request.session[IMPORT_SESSION_KEY]
        messages.error(request, "Upload the file again: the checked file is no longer here.")
        return redirect("contacts:category_import", category.pk)
    if preview.bad and not request.POST.get("skip_bad_rows"):
        bad = len(preview.bad)
        messages.error(
            request,
            ngettext(
                "Nothing was imported: %(count)d row has errors. Correct the file, or tick "
                "“Skip the rows with errors”.",
                "Nothing was imported: %(count)d rows have errors. Correct the file, or tick "
                "“Skip the rows with errors”.",
                bad,
            )
            % {"count": bad},
        )
        return redirect("contacts:category_import", category.pk)
    imported = transfer.import_rows(category=category, rows=preview.good)
    del request.session[IMPORT_SESSION_KEY]
    done = ngettext(
        "%(count)d contact imported into %(category)s.",
        "%(count)d contacts imported into %(category)s.",
        imported,
    ) % {"count": imported, "category": category.name}
    if skipped := len(preview.bad):
        done += " " + ngettext(
            "%(count)d row with errors was skipped.",
            "%(count)d rows with errors were skipped.",
            skipped,
        ) % {"count": skipped}
    messages.success(request, done)
    return redirect("contacts:category", category.pk)
