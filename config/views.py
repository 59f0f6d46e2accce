"""Project-wide views: the health check. (Error pages: templates/403.html, 404, 500.)"""

from datetime import timedelta

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks_db.models import DBTaskResult

# Due tasks older than this mean no worker is taking them.
QUEUE_STALLED_AFTER = timedelta(minutes=10)


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers, 503 otherwise (for load balancers). A queue with tasks
    due for more than QUEUE_STALLED_AFTER (no worker running: config.tasks) is reported in
    the body, and with `?queue=1` (for monitoring) answered with 503 as well: a stopped
    worker must not take the app servers out of the load balancer."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        stalled = (
            DBTaskResult.objects.ready()
            .filter(run_after__lt=timezone.now() - QUEUE_STALLED_AFTER)
            .count()
        )
    except DatabaseError:
        return HttpResponse("database unreachable\n", status=503, content_type="text/plain")
    if not stalled:
        return HttpResponse("ok\n", content_type="text/plain")
    minutes = int(QUEUE_STALLED_AFTER.total_seconds() // 60)
    report = (
        f"queue stalled: {stalled} task(s) due more than {minutes} minutes ago; "
        "is the worker (manage.py db_worker) running?\n"
    )
    if request.GET.get("queue"):
        return HttpResponse(report, status=503, content_type="text/plain")
    return HttpResponse("ok\n" + report, content_type="text/plain")
