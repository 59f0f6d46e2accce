"""Verify the record access log's chain (records.audit).

    manage.py verify_access_log [--anchor ID:MAC]

Walks every line in id order, a chunk at a time (memory stays flat over millions of
lines), checks each line's link to the line before it and its MAC under AUDIT_LOG_KEY,
and prints how many lines are intact. At the first broken line it names the line (id and
time) and what is wrong, and exits with status 1.

Then it checks the log covers the database: every record and entry must have its "created"
line, so an emptied log (or one cut back past a record or entry still there) fails too.

On success it prints the newest line as an anchor ("--anchor ID:MAC"). The chain alone
cannot show that the newest lines were deleted: what is left is still a valid chain. Keep
the anchor outside the database (a ticket, the backup log) and pass it to a later run,
which then fails if that line is gone or changed. Lines written after the last anchor can
still vanish unseen.
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from records import audit


def parse_anchor(value: str) -> tuple[int, str]:
    line_id, separator, mac = value.partition(":")
    if not separator or not line_id.isdigit() or len(mac) != 64:
        raise CommandError("--anchor looks like ID:MAC, as printed by an earlier run.")
    return int(line_id), mac.lower()


class Command(BaseCommand):
    help = "Verify the record access log's chain and name the first broken line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--anchor",
            metavar="ID:MAC",
            help="the newest line printed by an earlier run: fail if it is gone or changed",
        )

    def handle(self, *args, anchor: str | None, **options) -> None:
        result = audit.verify(anchor=parse_anchor(anchor) if anchor else None)
        if result.broken:
            broken = result.broken
            when = f" ({timezone.localtime(broken.at):%Y-%m-%d %H:%M:%S %Z})" if broken.at else ""
            raise CommandError(
                f"Line {broken.id}{when} breaks the access log's chain: {broken.problem}. "
                f"{result.verified} lines before it are intact."
            )
        if problem := audit.coverage_problem():
            raise CommandError(
                f"The access log's chain of {result.verified} lines is intact, but it does "
                f"not cover the records: {problem}."
            )
        intact = f"Verified {result.verified} lines: the access log's chain is intact."
        self.stdout.write(self.style.SUCCESS(intact))
        if result.newest:
            newest = result.newest
            self.stdout.write(
                f"Newest line {newest.id} ({timezone.localtime(newest.at):%Y-%m-%d %H:%M:%S %Z}); "
                f"anchor for a later run: --anchor {newest.id}:{newest.chain_mac}"
            )
