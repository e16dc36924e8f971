"""`koinotita remind`: e-mail each worker their due and overdue tasks and their overdue
referrals (daily, from cron)."""

from django.core.management.base import BaseCommand

from koinotita.cases.reminders import send_task_reminders


class Command(BaseCommand):
    help = (
        "E-mail each worker their tasks due today and overdue, and their overdue referrals "
        "(run daily from cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count the e-mails without sending them."
        )

    def handle(self, *args, dry_run=False, **options):
        sent, skipped = send_task_reminders(dry_run=dry_run)
        self.stdout.write(
            f"{'would send' if dry_run else 'sent'} {sent} e-mails; "
            f"{skipped} workers without an e-mail address"
        )
