"""The daily reminder: each worker's due and overdue tasks and overdue referrals, in one
e-mail, through django.core.mail (the mail adapter: settings choose the backend — console by
default, SMTP when configured, locmem in tests). Greek (the default language), with links
to the pages (KOINOTITA_SITE_URL); case and referral numbers only, never a person's name or
anything else personal. A worker with nothing due gets no e-mail.

Apps above cases add their own part of the e-mail (the referrals app: each worker's overdue
referrals) with `register_reminder_section` in their AppConfig.ready()."""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from koinotita.accounts.models import User
from koinotita.audit.services import audit_record
from koinotita.cases.selectors import due_tasks_by_assignee


@dataclass(frozen=True)
class ReminderSection:
    """A part of the daily e-mail contributed by another app.

    `collect(now)` gives each worker's items ({user id: [item, …]}); `lines(items)` the
    lines of the e-mail's body for one worker; `summary(items)` the words of the subject."""

    name: str
    collect: Callable[[object], dict[int, list]]
    lines: Callable[[list], list[str]]
    summary: Callable[[list], str]


_SECTIONS: list[ReminderSection] = []


def register_reminder_section(section: ReminderSection) -> None:
    if all(s.name != section.name for s in _SECTIONS):
        _SECTIONS.append(section)


def link(name: str, *args) -> str:
    """The absolute address of a page, for a link in an e-mail (KOINOTITA_SITE_URL)."""
    return settings.SITE_URL + reverse(name, args=args)


def _case(task) -> str:
    # The case number only: no personal data travels by e-mail.
    if not task.case_id:
        return ""
    return f" ({_('case')} #{task.case_id}: {link('cases-case-detail', task.case_id)})"


def _body(user, tasks, extra: dict[str, list], today) -> str:
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
    if tasks:
        lines += [_("All your tasks: %(link)s") % {"link": link("cases-my-tasks")}, ""]
    for section in _SECTIONS:
        if extra.get(section.name):
            lines += section.lines(extra[section.name])
    lines.append(_("Koinotita"))
    return "\n".join(lines)


def send_task_reminders(*, day=None, dry_run: bool = False) -> tuple[int, int]:
    """One e-mail per worker with open tasks due on or before `day` (today) or overdue
    referrals. Returns (sent, skipped for want of an address)."""
    now = timezone.now()
    day = day or timezone.localdate(now)
    by_assignee = due_tasks_by_assignee(day)
    collected = {section.name: section.collect(now) for section in _SECTIONS}
    wanted = set(by_assignee).union(*(set(items) for items in collected.values()))
    users = User.objects.filter(pk__in=sorted(wanted), is_active=True)
    sent = skipped = 0
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for user in users.order_by("pk"):
            if not user.email:
                skipped += 1
                continue
            tasks = by_assignee.get(user.pk, [])
            extra = {name: items.get(user.pk, []) for name, items in collected.items()}
            n_overdue = sum(1 for t in tasks if t.due_on < day)
            subject = _("Your tasks: %(due)d due, %(overdue)d overdue") % {
                "due": len(tasks) - n_overdue,
                "overdue": n_overdue,
            }
            subject = "; ".join([subject] + [s.summary(extra[s.name]) for s in _SECTIONS])
            body = _body(user, tasks, extra, day)
            messages.append(mail.EmailMessage(subject, body, to=[user.email]))
    if not dry_run and messages:
        with mail.get_connection() as connection:
            sent = connection.send_messages(messages) or 0
        audit_record(action="task.reminders", detail={"sent": sent, "day": day.isoformat()})
    elif dry_run:
        sent = len(messages)
    return sent, skipped
