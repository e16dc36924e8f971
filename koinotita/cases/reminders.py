"""The daily reminder of due and overdue tasks, through django.core.mail (the mail adapter:
settings choose the backend — console by default, SMTP when configured, locmem in tests)."""

from django.conf import settings
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from koinotita.accounts.models import User
from koinotita.audit.services import audit_record
from koinotita.cases.selectors import due_tasks_by_assignee


def _body(user, tasks, today) -> str:
    overdue = [t for t in tasks if t.due_on < today]
    due = [t for t in tasks if t.due_on == today]
    lines = [_("Good morning %(name)s,") % {"name": user.get_full_name() or user.username}, ""]
    if overdue:
        lines.append(_("Overdue tasks:"))
        lines += [f"  - {t.due_on:%d/%m/%Y} {t.title}" + _case(t) for t in overdue]
        lines.append("")
    if due:
        lines.append(_("Tasks due today:"))
        lines += [f"  - {t.title}" + _case(t) for t in due]
        lines.append("")
    lines.append(_("Koinotita"))
    return "\n".join(lines)


def _case(task) -> str:
    # The case number only: no personal data travels by e-mail.
    return f" ({_('case')} #{task.case_id})" if task.case_id else ""


def send_task_reminders(*, day=None, dry_run: bool = False) -> tuple[int, int]:
    """One e-mail per worker with open tasks due on or before `day` (today). Returns (sent,
    skipped for want of an address). Greek, the default language."""
    day = day or timezone.localdate()
    by_assignee = due_tasks_by_assignee(day)
    users = User.objects.filter(pk__in=list(by_assignee), is_active=True)
    sent = skipped = 0
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for user in users:
            if not user.email:
                skipped += 1
                continue
            tasks = by_assignee[user.pk]
            n_overdue = sum(1 for t in tasks if t.due_on < day)
            subject = _("Your tasks: %(due)d due, %(overdue)d overdue") % {
                "due": len(tasks) - n_overdue,
                "overdue": n_overdue,
            }
            messages.append(mail.EmailMessage(subject, _body(user, tasks, day), to=[user.email]))
    if not dry_run and messages:
        with mail.get_connection() as connection:
            sent = connection.send_messages(messages) or 0
        audit_record(action="task.reminders", detail={"sent": sent, "day": day.isoformat()})
    elif dry_run:
        sent = len(messages)
    return sent, skipped
