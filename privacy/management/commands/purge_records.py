"""Purge the clinical records of erased customers once their retention has passed.

    manage.py purge_records [--dry-run]

See privacy.purge.purge_due: each due request is purged in its own transaction; a run
that stops half-way, or two runs at once, leave nothing half-done, and running again
purges only what is still due. Safe to run daily from cron, e.g.

    15 3 * * *  cd /srv/kartotek && .venv/bin/python manage.py purge_records
"""

from django.core.management.base import BaseCommand

from privacy.erasure import summary_lines
from privacy.purge import purge_due


class Command(BaseCommand):
    help = (
        "Delete the records, entries, entry versions and the customer row of every erased "
        "customer whose records are past their retention (RECORD_RETENTION_YEARS after the "
        "last entry, computed again at each run), mark the erasure request purged and print "
        "what was removed. Idempotent: safe to run daily from cron."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only report what would be purged; change nothing.",
        )

    def handle(self, *args, dry_run: bool, **options) -> None:
        results = purge_due(dry_run=dry_run)
        verb = "Would purge" if dry_run else "Purged"
        total: dict[str, int] = {}
        purged = 0
        for result in results:
            request = result.request
            if not result.purged:
                self.stdout.write(
                    f"Erasure request {request.pk} (customer {request.customer_id}): a later "
                    f"entry keeps the records until {result.kept_until.isoformat()}."  # type: ignore[union-attr]  # set: see _purge
                )
                continue
            purged += 1
            lines = summary_lines(result.removed) or ["nothing left to remove"]
            self.stdout.write(
                f"{verb} erasure request {request.pk} (customer {request.customer_id}, kept "
                f"until {result.kept_until.isoformat()}): {', '.join(lines)}."  # type: ignore[union-attr]  # set: see _purge
            )
            for key, count in result.removed.items():
                total[key] = total.get(key, 0) + count
        totals = ", ".join(summary_lines(total))
        summary = f"{verb} {purged} erasure request{'s' if purged != 1 else ''}"
        self.stdout.write(self.style.SUCCESS(f"{summary}: {totals or 'nothing'}."))
