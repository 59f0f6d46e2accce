"""Back-end › Extra fields: the fields ("spaces") a clinic adds to customer information.

Everyone who sees customers sees the fields on them; defining fields is for staff with
the extra-field permissions (administrators).
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from customers import extra_fields
from customers.forms import ExtraFieldForm
from customers.models import CustomerSettings, ExtraField


@permission_required("customers.view_extrafield", raise_exception=True)
def field_list(request):
    fields = list(ExtraField.objects.order_by("position", "id"))
    context = {
        "fields": [field for field in fields if field.deleted is None],
        "deleted_fields": [field for field in fields if field.deleted is not None],
    }
    return render(request, "customers/field_list.html", context)


@permission_required("customers.add_extrafield", raise_exception=True)
def field_create(request):
    form = ExtraFieldForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        field = extra_fields.extra_field_create(field=form.save(commit=False))
        messages.success(request, f"Extra field “{field.label}” added to customer information.")
        return redirect("customers:fields")
    return render(request, "customers/field_form.html", {"form": form})


@permission_required("customers.change_extrafield", raise_exception=True)
def field_edit(request, field_id: int):
    field = get_object_or_404(ExtraField, pk=field_id, deleted__isnull=True)
    form = ExtraFieldForm(request.POST if request.method == "POST" else None, instance=field)
    if form.is_valid():
        form.save()
        messages.success(request, f"Extra field “{field.label}” saved.")
        return redirect("customers:fields")
    return render(request, "customers/field_form.html", {"form": form, "field": field})


@permission_required("customers.delete_extrafield", raise_exception=True)
def field_delete(request, field_id: int):
    field = get_object_or_404(ExtraField, pk=field_id, deleted__isnull=True)
    if request.method == "POST":
        extra_fields.extra_field_delete(field=field)
        messages.success(
            request,
            f"Extra field “{field.label}” deleted. Its values are kept; it can be restored.",
        )
        return redirect("customers:fields")
    context = {
        "field": field,
        "filled_out": extra_fields.extra_field_values_count(field),
        "settings": CustomerSettings.for_request(request),
    }
    return render(request, "customers/field_confirm_delete.html", context)


@require_POST
@permission_required("customers.delete_extrafield", raise_exception=True)
def field_restore(request, field_id: int):
    field = get_object_or_404(ExtraField, pk=field_id, deleted__isnull=False)
    try:
        extra_fields.extra_field_restore(field=field)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"Extra field “{field.label}” restored with its values.")
    return redirect("customers:fields")


@require_POST
@permission_required("customers.change_extrafield", raise_exception=True)
def field_move(request, field_id: int):
    field = get_object_or_404(ExtraField, pk=field_id, deleted__isnull=True)
    extra_fields.extra_field_move(field=field, up=request.POST.get("direction") == "up")
    return redirect("customers:fields")
