"""Staff pages for debtors."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from config.forms import show_service_errors
from config.pagination import KeysetPaginator
from config.replica import reads_from_replica
from debtors import services
from debtors.forms import DebtorFilterForm, DebtorForm, DebtorGroupForm
from debtors.models import Debtor, DebtorGroup
from debtors.usage import debtor_users

PAGE_SIZE = 50


@permission_required("debtors.view_debtor", raise_exception=True)
@reads_from_replica
def debtor_list(request: HttpRequest) -> HttpResponse:
    filters = DebtorFilterForm(request.GET or None)
    debtors = Debtor.objects.for_list()
    query = ""
    if filters.is_valid():
        query = filters.cleaned_data["q"]
        debtors = debtors.search(query)
        if filters.cleaned_data["group"]:
            debtors = debtors.filter(group=filters.cleaned_data["group"])
    # Debtor.Meta's ordering, on the debtor_name_order index.
    page = KeysetPaginator(debtors, ordering=("name", "number"), per_page=PAGE_SIZE).page_for(
        request.GET
    )
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
            show_service_errors(form, error)
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
            show_service_errors(form, error)
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


@permission_required("debtors.view_debtorgroup", raise_exception=True)
def group_list(request: HttpRequest) -> HttpResponse:
    form = DebtorGroupForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("debtors.add_debtorgroup"):
            raise PermissionDenied
        if form.is_valid():
            group = form.save()
            messages.success(request, f"Debtor group {group.name} created.")
            return redirect("debtors:groups")
    # Explicit order: an annotated (GROUP BY) query does not keep Meta.ordering.
    groups = DebtorGroup.objects.annotate(debtor_count=Count("debtors")).order_by("name")
    return render(request, "debtors/group_list.html", {"groups": groups, "form": form})


@permission_required("debtors.change_debtorgroup", raise_exception=True)
def group_edit(request: HttpRequest, group_id: int) -> HttpResponse:
    group = get_object_or_404(DebtorGroup, pk=group_id)
    form = DebtorGroupForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Debtor group renamed.")
        return redirect("debtors:groups")
    return render(request, "debtors/group_form.html", {"form": form, "group": group})


@require_POST
@permission_required("debtors.delete_debtorgroup", raise_exception=True)
def group_delete(request: HttpRequest, group_id: int) -> HttpResponse:
    group = get_object_or_404(DebtorGroup, pk=group_id)
    try:
        services.debtor_group_delete(group=group)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"Debtor group {group.name} deleted.")
    return redirect("debtors:groups")
