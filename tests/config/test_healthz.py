"""/healthz tells load balancers whether the app can reach its database."""

from tests.config.helpers import production_environment, run_python


def test_healthz_answers_200_when_database_is_reachable(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_healthz_needs_no_login_and_is_not_cached(client, db):
    response = client.get("/healthz")
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_database_is_unreachable():
    code = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "response = Client().get('/healthz', secure=True, HTTP_HOST='kartotek.clinic.example')\n"
        "print(response.status_code)"
    )
    # Port 1 on the loopback: nothing listens, the connection is refused at once.
    result = run_python(code, env=production_environment())
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "503"


def test_healthz_is_not_redirected_to_https_in_production():
    code = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "response = Client().get('/healthz', HTTP_HOST='kartotek.clinic.example')\n"
        "print(response.status_code)"
    )
    result = run_python(code, env=production_environment())
    assert result.returncode == 0, result.stderr
    # 503: the test's database is unreachable; what matters is that it is not a 301.
    assert result.stdout.strip().splitlines()[-1] == "503"


def _stalled_task(minutes_ago: int):
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from portal.tasks import send_password_reset

    send_password_reset.enqueue(None, "", "")
    DBTaskResult.objects.update(run_after=timezone.now() - timedelta(minutes=minutes_ago))


def test_healthz_reports_a_queue_no_worker_takes(client, db):
    _stalled_task(minutes_ago=11)
    response = client.get("/healthz")
    # Still 200: a stopped worker must not take the app out of the load balancer ...
    assert response.status_code == 200
    assert b"queue stalled: 1 task(s) due more than 10 minutes ago" in response.content
    # ... but monitoring that asks about the queue is told.
    assert client.get("/healthz", {"queue": 1}).status_code == 503


def test_healthz_is_content_with_tasks_just_enqueued(client, db):
    _stalled_task(minutes_ago=2)
    assert client.get("/healthz", {"queue": 1}).content == b"ok\n"
