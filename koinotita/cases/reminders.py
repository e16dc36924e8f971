"""The daily reminder: each worker's due and overdue tasks and overdue referrals, in one
e-mail, through django.core.mail (the mail adapter: settings choose the backend — console by
default, SMTP when configured, locmem in tests). Greek (the default language), with links
to the pages (KOINOTITA_SITE_URL); case and referral numbers only, never a person's name or
anything else personal. A worker with nothing due gets no e-mail."""

from django.conf import settings
from django.core import mail
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from koinotita.accounts.models import RoleAssignment, User
from koinotita.accounts.scoping import CAPABILITIES, Capability
from koinotita.audit.services import audit_record
from koinotita.cases.selectors import due_tasks_by_assignee

REFERRALS_LISTED = 20  # more: a link to the list of overdue referrals


def _link(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def _case(task) -> str:
    # The case number only: no personal data travels by e-mail.
    if not task.case_id:
        return ""
    return f" ({_('case')} #{task.case_id}: {_link('cases-case-detail', task.case_id)})"


def _referral(referral) -> str:
    what = referral.service.name if referral.service_id else referral.from_body
    if referral.state == "accepted":
        late = _("accepted, no outcome yet")
    else:
        late = _("answer was due %(day)s") % {"day": f"{referral.response_due:%d/%m/%Y}"}
    number = referral.protocol_number or f"#{referral.pk}"
    link = _link("referrals-referral-detail", referral.pk)
    label = _("referral")
    return f"  - {label} {number} · {what} · {late}: {link}"


def _body(user, tasks, referrals, today) -> str:
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
        lines += [_("All your tasks: %(link)s") % {"link": _link("cases-my-tasks")}, ""]
    if referrals:
        lines.append(_("Overdue referrals:"))
        lines += [_referral(r) for r in referrals[:REFERRALS_LISTED]]
        everything = _link("referrals-referral-list") + "?overdue=1"
        if len(referrals) > REFERRALS_LISTED:
            lines.append(
                _("… and %(n)d more: %(link)s")
                % {"n": len(referrals) - REFERRALS_LISTED, "link": everything}
            )
        else:
            lines.append(_("All overdue referrals: %(link)s") % {"link": everything})
        lines.append("")
    lines.append(_("Koinotita"))
    return "\n".join(lines)


def overdue_referrals_by_worker(now) -> dict[int, list]:
    """Each worker's overdue referrals, as their home page shows them
    (`koinotita.referrals.selectors.referral_overdue_for`: the ones they made; a supervisor,
    all of the centres they supervise). Workers: active users holding a case-files role."""
    from koinotita.referrals.selectors import referral_overdue_for  # noqa: PLC0415

    roles = sorted(CAPABILITIES[Capability.CASE_FILES])
    holds = RoleAssignment.objects.filter(user=OuterRef("pk"), role__in=roles, is_active=True)
    result = {}
    for user in User.objects.filter(Exists(holds), is_active=True).order_by("pk"):
        referrals = list(referral_overdue_for(user, now=now))
        if referrals:
            result[user.pk] = referrals
    return result


def send_task_reminders(*, day=None, dry_run: bool = False) -> tuple[int, int]:
    """One e-mail per worker with open tasks due on or before `day` (today) or overdue
    referrals. Returns (sent, skipped for want of an address)."""
    now = timezone.now()
    day = day or timezone.localdate(now)
    by_assignee = due_tasks_by_assignee(day)
    referrals = overdue_referrals_by_worker(now)
    users = User.objects.filter(pk__in=sorted(set(by_assignee) | set(referrals)), is_active=True)
    sent = skipped = 0
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for user in users.order_by("pk"):
            if not user.email:
                skipped += 1
                continue
            tasks = by_assignee.get(user.pk, [])
            late = referrals.get(user.pk, [])
            n_overdue = sum(1 for t in tasks if t.due_on < day)
            subject = _(
                "Your tasks: %(due)d due, %(overdue)d overdue; %(referrals)d overdue referrals"
            ) % {"due": len(tasks) - n_overdue, "overdue": n_overdue, "referrals": len(late)}
            body = _body(user, tasks, late, day)
            messages.append(mail.EmailMessage(subject, body, to=[user.email]))
    if not dry_run and messages:
        with mail.get_connection() as connection:
            sent = connection.send_messages(messages) or 0
        audit_record(action="task.reminders", detail={"sent": sent, "day": day.isoformat()})
    elif dry_run:
        sent = len(messages)
    return sent, skipped
