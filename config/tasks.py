"""What Kartotek's background tasks share (Django's tasks API, the worker of
django-tasks-db by default: `manage.py db_worker`, which `make run` starts beside the server).

- Enqueue after commit (`enqueue_on_commit`): a rolled-back request leaves no task, and the
  worker never runs before the rows it needs are visible.
- Arguments are ids and plain values only, never personal data: a task's arguments are kept
  in the task table and shown in the admin.
- E-mail is sent with `send_or_retry`: when the mail server fails for a while (refused
  connection, timeout, a 4xx answer), the task enqueues itself again with a later
  `run_after` (RETRY_DELAYS) and an attempt number; a permanent refusal (5xx, refused
  recipient) or the last attempt fails the task, logged and listed with its error in
  Admin › Task results.
"""

import logging
import smtplib
from datetime import timedelta

from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import Task
from django.utils import timezone

logger = logging.getLogger(__name__)

# The wait before each retry after a transient failure: about 4.5 hours in all.
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=4),
)


def enqueue_on_commit(task: Task, *args, **kwargs) -> None:
    """Enqueue `task` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs))


def is_transient(error: Exception) -> bool:
    """Whether sending may work later: the server could not be reached or answered 4xx."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return False
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return isinstance(error, OSError)  # connection refused, reset, timed out; SMTPException


def send_or_retry(message: EmailMessage, *, task: Task, args: list, attempt: int) -> bool:
    """Send `message` (True); after a transient failure enqueue `task(*args, attempt=attempt
    + 1)` to run after the next of RETRY_DELAYS (False), and raise otherwise or after the
    last."""
    try:
        message.send()
        return True
    except Exception as error:
        if not is_transient(error) or attempt >= len(RETRY_DELAYS):
            logger.exception("%s: e-mail not sent (attempt %s), giving up", task.name, attempt)
            raise
        delay = RETRY_DELAYS[attempt]
        logger.warning(
            "%s: e-mail not sent (attempt %s: %s); retrying in %s", task.name, attempt, error, delay
        )
        task.using(run_after=timezone.now() + delay).enqueue(*args, attempt=attempt + 1)
        return False
