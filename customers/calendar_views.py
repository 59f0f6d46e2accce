"""Therapists' calendars: one per staff member; customers' therapists and reservations are
chosen from the active ones."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render

from customers.forms import CalendarForm
from customers.models import Calendar


@permission_required("customers.view_calendar", raise_exception=True)
def calendar_list(request):
    calendars = (
        Calendar.objects.select_related("therapist")
        .annotate(primary_for=Count("primary_customers", distinct=True))
        .order_by("-active", "name")
    )
    return render(request, "customers/calendar_list.html", {"calendars": calendars})


@permission_required("customers.add_calendar", raise_exception=True)
def calendar_create(request):
    return _calendar_form(request, Calendar())


@permission_required("customers.change_calendar", raise_exception=True)
def calendar_edit(request, calendar_id: int):
    return _calendar_form(request, get_object_or_404(Calendar, pk=calendar_id))


def _calendar_form(request, calendar: Calendar):
    form = CalendarForm(request.POST if request.method == "POST" else None, instance=calendar)
    if form.is_valid():
        created = calendar.pk is None
        calendar = form.save()
        messages.success(
            request, f"Calendar “{calendar.name}” {'created' if created else 'saved'}."
        )
        return redirect("customers:calendars")
    return render(request, "customers/calendar_form.html", {"form": form, "calendar": calendar})
