"""Staff pages of the contact directory: its front page (categories and search) and each
category's page (rename, its contacts, delete).

They all exist only while "Show contacts" is on in Back-end › Customer (@contacts_shown):
the setting switches the directory on for the clinic (shared/seeds/001_*, "See Contacts").
A customer's own contact persons (contacts.views.persons) do not depend on it; the
customer's Contacts tab itself is contacts.tab.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.db.models.functions import Lower
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from config.http import AuthenticatedHttpRequest
from config.pagination import KeysetPaginator
from config.replica import reads_from_replica
from contacts import services
from contacts.forms import CategoryForm, ContactForm
from contacts.models import Contact, ContactCategory
from contacts.views.common import (
    contacts_shown,
    customer_from_query,
    places_removed,
    to_contacts_tab,
    with_customer,
)

DIRECTORY_RESULTS = 100
CONTACTS_PER_PAGE = 50
# Contact.Meta's ordering, served by the contact_category_created index.
CATEGORY_CONTACTS_ORDER = ("created", "id")


@contacts_shown
@permission_required("contacts.view_contactcategory", raise_exception=True)
@reads_from_replica
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
    customer = customer_from_query(request)
    form = CategoryForm(request.POST)
    if not form.is_valid():
        template = "contacts/category_create.html"
        context = {"category_form": form, "customer": customer}
        return render(request, f"{template}#form" if request.htmx else template, context)
    category = form.save()
    messages.success(
        request, _("Category %(name)s created. Now add its contacts.") % {"name": category.name}
    )
    target = with_customer(reverse("contacts:category", args=[category.pk]), customer)
    return HttpResponseClientRedirect(target) if request.htmx else redirect(target)


@contacts_shown
@permission_required("contacts.view_contactcategory", raise_exception=True)
@reads_from_replica
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
    return category_page(request, category, rename_form=rename_form)


def category_page(
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
        "customer": customer_from_query(request),
    }
    return render(request, "contacts/category_detail.html", context)


@contacts_shown
@permission_required("contacts.delete_contactcategory", raise_exception=True)
def category_delete(request: AuthenticatedHttpRequest, category_id: int) -> HttpResponse:
    category = get_object_or_404(ContactCategory, pk=category_id)
    customer = customer_from_query(request)
    if request.method == "POST":
        gone = services.category_delete(category=category)
        deleted = ngettext(
            "Category %(name)s deleted with its %(count)d contact.",
            "Category %(name)s deleted with its %(count)d contacts.",
            gone.contacts,
        ) % {"name": category.name, "count": gone.contacts}
        messages.success(request, f"{deleted} {places_removed(gone.customer_links)}")
        if customer:
            return to_contacts_tab(customer)
        return redirect("contacts:directory")
    context = {
        "category": category,
        "counts": services.category_deletion(category),
        "customer": customer,
    }
    return render(request, "contacts/category_confirm_delete.html", context)
