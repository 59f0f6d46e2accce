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
