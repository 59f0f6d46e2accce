"""Staff pages for debtors."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from debtors import services
from debtors.forms import DebtorFilterForm, DebtorForm
from debtors.models import Debtor
from debtors.usage import debtor_users

PAGE_SIZE = 50


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


@permission_required("debtors.view_debtor", raise_exception=True)
def debtor_list(request: HttpRequest) -> HttpResponse:
    filters = DebtorFilterForm(request.GET or None)
    debtors = Debtor.objects.for_list()
    query = ""
    if filters.is_valid():
        query = filters.cleaned_data["q"]
        debtors = debtors.search(query)
        if filters.cleaned_data["group"]:
            debtors = debtors.filter(group=filters.cleaned_data["group"])
    page = Paginator(debtors, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "filters": filters, "query": query}
    return render(request, "debtors/debtor_list.html", context)


@permission_required("debtors.add_debtor", raise_exception=True)
def debtor_create(request: HttpRequest) -> HttpResponse:
    form = DebtorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            debtor = services.debtor_create(
                values=form.values(), number=form.cleaned_data.get("number")
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"Debtor {debtor} created.")
            return redirect("debtors:detail", debtor.pk)
    return render(request, "debtors/debtor_form.html", {"form": form})


@permission_required("debtors.view_debtor", raise_exception=True)
def debtor_detail(request: HttpRequest, debtor_id: int) -> HttpResponse:
    debtor = get_object_or_404(Debtor.objects.for_list(), pk=debtor_id)
    context = {"debtor": debtor, "users": debtor_users(debtor)}
    return render(request, "debtors/debtor_detail.html", context)


@permission_required("debtors.change_debtor", raise_exception=True)
def debtor_edit(request: HttpRequest, debtor_id: int) -> HttpResponse:
    debtor = get_object_or_404(Debtor, pk=debtor_id)
    form = DebtorForm(request.POST or None, instance=debtor)
    if request.method == "POST" and form.is_valid():
        try:
            services.debtor_update(debtor=debtor, values=form.values())
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "Debtor saved.")
            return redirect("debtors:detail", debtor.pk)
    return render(request, "debtors/debtor_form.html", {"form": form, "debtor": debtor})


@permission_required("debtors.delete_debtor", raise_exception=True)
def debtor_delete(request: HttpRequest, debtor_id: int) -> HttpResponse:
    debtor = get_object_or_404(Debtor, pk=debtor_id)
    users = debtor_users(debtor)
    if request.method == "POST":
        try:
            services.debtor_delete(debtor=debtor)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect("debtors:detail", debtor.pk)
        messages.success(request, f"Debtor {debtor.name} deleted.")
        return redirect("debtors:list")
    return render(request, "debtors/debtor_confirm_delete.html", {"debtor": debtor, "users": users})
