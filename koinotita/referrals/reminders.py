"""The referrals' part of the daily reminder e-mail (`koinotita remind`, cases.reminders):
each worker's overdue referrals, by protocol number and service only."""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from koinotita.accounts.models import RoleAssignment, User
from koinotita.accounts.scoping import CAPABILITIES, Capability
from koinotita.cases.reminders import ReminderSection, link
from koinotita.referrals.rules import AWAITING_ANSWER
from koinotita.referrals.selectors import referral_overdue_for

LISTED = 20  # more: a link to the list of overdue referrals


def overdue_referrals_by_worker(now) -> dict[int, list]:
    """Each worker's overdue referrals, as their home page shows them
    (`referral_overdue_for`: the ones they made; a supervisor, all of the centres they
    supervise). Workers: active users holding a case-files role."""
    roles = sorted(CAPABILITIES[Capability.CASE_FILES])
    holds = RoleAssignment.objects.filter(user=OuterRef("pk"), role__in=roles, is_active=True)
    result = {}
    for user in User.objects.filter(Exists(holds), is_active=True).order_by("pk"):
        referrals = list(referral_overdue_for(user, now=now))
        if referrals:
            result[user.pk] = referrals
    return result


def _line(referral) -> str:
    what = referral.service.name if referral.service_id else referral.from_body
    if referral.state in AWAITING_ANSWER:
        late = _("answer was due %(day)s") % {"day": f"{referral.response_due:%d/%m/%Y}"}
    else:
        late = _("accepted, no outcome yet")
    number = referral.protocol_number or f"#{referral.pk}"
    label = _("referral")
    return (
        f"  - {label} {number} · {what} · {late}: {link('referrals-referral-detail', referral.pk)}"
    )


def _lines(referrals: list) -> list[str]:
    lines = [_("Overdue referrals:")]
    lines += [_line(r) for r in referrals[:LISTED]]
    everything = link("referrals-referral-list") + "?overdue=1"
    if len(referrals) > LISTED:
        lines.append(
            _("… and %(n)d more: %(link)s") % {"n": len(referrals) - LISTED, "link": everything}
        )
    else:
        lines.append(_("All overdue referrals: %(link)s") % {"link": everything})
    lines.append("")
    return lines


def _summary(referrals: list) -> str:
    n = len(referrals)
    return ngettext("%(referrals)d overdue referral", "%(referrals)d overdue referrals", n) % {
        "referrals": n
    }


SECTION = ReminderSection(
    name="referrals", collect=overdue_referrals_by_worker, lines=_lines, summary=_summary
)
