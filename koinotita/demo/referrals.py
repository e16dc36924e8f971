"""The demo's referrals: a few dozen days of referrals of Kastoria's centre to the sample
directory, in every state of the lifecycle, marked as sample data (`Referral.is_sample`).

`demo_referrals_ensure()` (called by `koinotita demo`) is idempotent: nothing is done when a
sample referral exists, or when what it builds on is missing (the sample directory, the demo
users, the synthetic persons). Everything goes through the services of the app — consents
recorded, drafts created, sent, answered by the partner or recorded by the centre — and the
dates are then moved back so that some referrals are overdue and the figures have response
times. The demo partner user answers for the Mental Health Centre of Kastoria.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from koinotita.accounts.models import User
from koinotita.cases.models import Case
from koinotita.directory.models import Organization, Service
from koinotita.organisations.models import Centre
from koinotita.people.models import Person
from koinotita.people.services import consent_record
from koinotita.referrals.models import PartnerMembership, Referral, ReferralEvent, State, Via
from koinotita.referrals.services import (
    partner_membership_grant,
    referral_create,
    referral_record_incoming,
    referral_send,
    referral_step,
)

CENTRE = "kastoria"
PARTNER_ORG = uuid.UUID("e3af4fc2-e8ef-58b4-8640-0f7449094f71")  # ΚΨΥ Καστοριάς
SERVICES = {
    "kpsy": "a5432202-e505-5da7-8fd0-98df8553762f",  # ψυχοκοινωνική υποστήριξη ενηλίκων
    "dypa": "a2586e60-82d6-5e00-b621-71d8d271d3d5",  # συμβουλευτική απασχόλησης
    "hospital": "9773dacb-b765-515d-988a-92f8bdf205ed",  # κοινωνική υπηρεσία νοσοκομείου
    "pantry": "757b0084-491c-531e-a236-fd7b2de474a7",  # κοινωνικό παντοπωλείο
    "home_help": "924b13a0-cddb-5c44-9c55-c3572221091f",  # βοήθεια στο σπίτι
    "soup": "d5e2b2a5-a1b7-5887-8222-8352969735bc",  # συσσίτιο
    "okana": "50589b8c-0d11-5ace-b757-c717d48226b6",  # συμβουλευτικός σταθμός εξαρτήσεων
    "smile": "3070ea94-ff7f-5758-a792-ef7952248cd7",  # στήριξη παιδιού και οικογένειας
    "welfare": "8127a55a-4613-55cb-85fa-7927e2df9d83",  # προνοιακά επιδόματα
    "amea": "fd4a3779-922b-5405-9a70-bdac2cc00182",  # πιστοποίηση αναπηρίας
}
JUVENILE_OFFICE = uuid.UUID("a01a174d-c4a3-51db-a335-56b7adad0410")
BASIC = ["name", "birth_date", "phone"]
HEALTH = ["name", "birth_date", "amka", "phone"]


@dataclass
class Plan:
    """One referral: to `service`, created `created` days ago, then `steps` as
    (state, days ago, note / reason / outcome). `due` is the deadline in days from today
    (negative: passed). Without `consent` the person has not agreed to share yet."""

    service: str
    reason: str
    created: int
    steps: list[tuple[str, int, str]] = field(default_factory=list)
    due: int | None = 14
    urgency: str = "routine"
    shared: list[str] = field(default_factory=lambda: list(BASIC))
    consent: bool = True
    by: str = "caseworker"


PLANS = [
    Plan("kpsy", "Επίμονη θλίψη και αϋπνία μετά από απώλεια συζύγου· ζητά ψυχολογική "
         "υποστήριξη.", 1, [], due=13, urgency="priority", shared=HEALTH),
    Plan("dypa", "Μακροχρόνια άνεργος, ζητά συμβουλευτική για επανένταξη στην αγορά "
         "εργασίας.", 0, [], consent=False),
    Plan("kpsy", "Κρίσεις άγχους που δυσκολεύουν την καθημερινότητα· πρώτη επαφή με "
         "υπηρεσία ψυχικής υγείας.", 3, [("sent", 3, "")], due=8, shared=HEALTH),
    Plan("hospital", "Χρειάζεται διευκόλυνση για ραντεβού στα εξωτερικά ιατρεία και "
         "μεταφορά.", 21, [("sent", 20, "")], due=-6, urgency="priority", shared=HEALTH),
    Plan("pantry", "Τετραμελής οικογένεια χωρίς εισόδημα τους τελευταίους τρεις μήνες.",
         19, [("sent", 18, ""), ("received", 16, "Παραλήφθηκε, θα γίνει έλεγχος "
              "δικαιολογητικών.")], due=-4, urgency="urgent"),
    Plan("kpsy", "Έφηβος με απομόνωση και άρνηση σχολείου· οι γονείς ζητούν καθοδήγηση.",
         6, [("sent", 5, ""), ("received", 4, "")], due=6, shared=HEALTH, by="colleague"),
    Plan("dypa", "Ζητά κατάρτιση και πρόγραμμα απασχόλησης· έχει δίπλωμα οδήγησης "
         "επαγγελματικό.", 13, [("sent", 12, ""), ("accepted", 9, "Ραντεβού με σύμβουλο "
              "εργασίας.")]),
    Plan("home_help", "Ηλικιωμένη που ζει μόνη, με κινητικά προβλήματα· χρειάζεται βοήθεια "
         "στο σπίτι.", 62, [("sent", 60, ""), ("accepted", 50, "Εντάχθηκε στη λίστα "
              "επισκέψεων.")], urgency="priority"),
    Plan("okana", "Ζητά συμβουλευτική για εξάρτηση από αλκοόλ.", 26,
         [("sent", 25, ""), ("declined", 22, "Η κατοικία του είναι εκτός της περιοχής του "
           "σταθμού· προτείνεται ο σταθμός της Κοζάνης.")], shared=HEALTH),
    Plan("kpsy", "Ψυχολογική υποστήριξη μετά από περιστατικό ενδοοικογενειακής βίας.", 46,
         [("sent", 45, ""), ("received", 44, ""), ("accepted", 42, ""),
          ("completed", 20, "Ολοκλήρωσε 8 συνεδρίες· συνεχίζει με ομάδα υποστήριξης.")],
         urgency="urgent", shared=HEALTH),
    Plan("soup", "Άστεγος τις τελευταίες εβδομάδες· χρειάζεται καθημερινό γεύμα.", 31,
         [("sent", 30, ""), ("accepted", 29, ""), ("completed", 10, "Σιτίζεται καθημερινά· "
           "βρέθηκε και προσωρινή στέγη.")], urgency="urgent", by="colleague"),
    Plan("dypa", "Νέα μητέρα που επιστρέφει στην εργασία· ζητά ενημέρωση για "
         "προγράμματα.", 52, [("sent", 50, ""), ("received", 48, ""), ("accepted", 46, ""),
              ("completed", 15, "Προσλήφθηκε μέσω προγράμματος απασχόλησης.")]),
    Plan("smile", "Οικογένεια με τρία παιδιά σε κίνδυνο φτώχειας· χρειάζεται στήριξη.", 41,
         [("sent", 40, ""), ("accepted", 37, ""), ("not_completed", 12, "Η οικογένεια δεν "
           "προσήλθε στα ραντεβού και δεν απαντά στο τηλέφωνο.")]),
    Plan("welfare", "Αίτηση για έκτακτη οικονομική ενίσχυση.", 15,
         [("sent", 14, ""), ("withdrawn", 10, "Μετακόμισε σε άλλο δήμο· η αίτηση θα γίνει "
           "εκεί.")]),
    Plan("kpsy", "Ζητά ψυχιατρική εκτίμηση για φαρμακευτική αγωγή.", 35,
         [("sent", 34, ""), ("declined", 33, "Απαιτείται πρώτα παραπομπή από ψυχίατρο του "
           "νοσοκομείου.")], shared=HEALTH),
    Plan("amea", "Ενημέρωση για πιστοποίηση αναπηρίας από ΚΕΠΑ και επιδόματα.", 9,
         [("sent", 8, ""), ("accepted", 7, ""), ("completed", 2, "Υπέβαλε αίτηση στο ΚΕΠΑ "
           "με τη βοήθεια του συλλόγου.")]),
]  # fmt: skip

INCOMING = [
    # (organisation or None, body, reason, received days ago, due in days, then steps)
    (JUVENILE_OFFICE, "", "Ανήλικος με αδικαιολόγητες απουσίες· ζητείται κοινωνική έρευνα "
     "και στήριξη της οικογένειας.", 6, 4, []),
    (None, "2ο Δημοτικό Σχολείο Καστοριάς", "Μαθήτρια χωρίς επαρκή διατροφή· η διεύθυνση "
     "ζητά ενίσχυση της οικογένειας.", 20, -10, [("accepted", 18, "Ανέλαβε η κοινωνική "
     "λειτουργός του Κέντρου.")]),
]  # fmt: skip


def _at(days: int, n: int):
    """`days` ago, at a working hour that differs per step."""
    now = timezone.now()
    return now - timedelta(days=days, hours=(n * 3) % 6, minutes=(n * 17) % 60)


def _times(days: list[int], n: int) -> list:
    """One moment per step, `days` ago each, never before the step before it."""
    times = []
    for i, d in enumerate(days):
        at = _at(d, n + i)
        if times and at <= times[-1]:
            at = times[-1] + timedelta(minutes=25)
        times.append(at)
    return times


def _backdate(referral: Referral, times: list, due: int | None) -> None:
    """Move the steps of `referral` to `times` (one per event, in order) and set its dates
    from them, as the services would have set them then."""
    events = list(ReferralEvent.objects.filter(referral=referral).order_by("pk"))
    stamps: dict[str, object] = {}
    for event, at in zip(events, times, strict=True):
        ReferralEvent.objects.filter(pk=event.pk).update(at=at)
        stamps[event.to_state] = at
    first = times[0]
    answered = stamps.get(State.ACCEPTED) or stamps.get(State.DECLINED)
    final = next(
        (stamps[s] for s in (State.COMPLETED, State.NOT_COMPLETED, State.DECLINED,
                             State.WITHDRAWN) if s in stamps),
        None,
    )  # fmt: skip
    Referral.objects.filter(pk=referral.pk).update(
        is_sample=True,
        created_at=first,
        updated_at=times[-1],
        sent_at=stamps.get(State.SENT, stamps.get(State.RECEIVED)),
        received_at=stamps.get(State.RECEIVED, answered),
        answered_at=answered,
        accepted_at=stamps.get(State.ACCEPTED),
        closed_at=final,
        response_due=(timezone.localdate() + timedelta(days=due)) if due is not None else None,
    )


def _take(step: tuple[str, int, str], referral, *, staff, partner, partner_org_id):

    state, _days, text = step
    if state == State.SENT:
        return referral_send(actor=staff, referral=referral)
    answer = {"note": text}
    if state == State.DECLINED:
        answer = {"reason": text}
    elif state in (State.COMPLETED, State.NOT_COMPLETED):
        answer = {"outcome": text}
    by_partner = (
        partner is not None
        and referral.organization_id == partner_org_id
        and state not in (State.WITHDRAWN,)
    )
    if by_partner:
        return referral_step(
            actor=partner, referral=referral, to_state=state, via=Via.PARTNER, **answer
        )
    # An answer received by phone or on paper, entered by the centre.
    return referral_step(actor=staff, referral=referral, to_state=state, **answer)


def demo_referrals_ensure() -> int:
    """The demo's sample referrals (see the module's description); how many were made."""

    centre = Centre.objects.filter(code=CENTRE).first()
    names = ["caseworker", "colleague", "partner"]
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    services = {
        s.pk: s
        for s in Service.objects.select_related("organization").filter(
            pk__in=list(SERVICES.values())
        )
    }
    if centre is None or "caseworker" not in users or len(services) < len(SERVICES):
        return 0
    partner_org = Organization.objects.filter(pk=PARTNER_ORG).first()
    partner = users.get("partner")
    if partner is not None and partner_org is not None:
        linked = PartnerMembership.objects.filter(
            user=partner, organization=partner_org, centre=centre, is_active=True
        )
        if not linked.exists():
            partner_membership_grant(user=partner, organization=partner_org, centre=centre)
    if Referral.objects.filter(is_sample=True).exists():
        return 0
    needed = len(PLANS) + len(INCOMING)
    with_cases = list(
        Case.objects.filter(centre=centre, closed_on__isnull=True)
        .order_by("pk")
        .values_list("person_id", "pk")[:6]
    )
    case_of = dict(with_cases)
    active = Person.objects.filter(
        centre=centre, merged_into__isnull=True, anonymised_at__isnull=True
    ).order_by("pk")
    # Persons with an open case first, so that the case pages show referrals too.
    persons = list(active.filter(pk__in=list(case_of)))
    persons += list(active.exclude(pk__in=list(case_of))[: needed - len(persons)])
    if len(persons) < needed:
        return 0
    cases = {c.pk: c for c in Case.objects.filter(pk__in=list(case_of.values()))}
    made = 0
    with transaction.atomic():
        for n, plan in enumerate(PLANS):
            person = persons[n]
            staff = users.get(plan.by) or users["caseworker"]
            service = services[uuid.UUID(SERVICES[plan.service])]
            if plan.consent:
                consent_record(
                    actor=staff,
                    person=person,
                    purpose="referral",
                    recipient_key=str(service.organization_id),
                    given_on=timezone.localdate() - timedelta(days=plan.created),
                )
            case = cases.get(case_of.get(person.pk))
            referral = referral_create(
                actor=staff,
                person=person,
                service=service,
                reason=plan.reason,
                urgency=plan.urgency,
                shared_fields=plan.shared,
                case=case,
            )
            for step in plan.steps:
                _take(step, referral, staff=staff, partner=partner, partner_org_id=PARTNER_ORG)
            times = _times([plan.created] + [days for _s, days, _t in plan.steps], n)
            _backdate(referral, times, plan.due)
            made += 1
        for m, (org_id, body, reason, received, due, steps) in enumerate(INCOMING):
            person = persons[len(PLANS) + m]
            staff = users["caseworker"]
            organization = Organization.objects.filter(pk=org_id).first() if org_id else None
            referral = referral_record_incoming(
                actor=staff,
                person=person,
                from_body=body,
                organization=organization,
                reason=reason,
                urgency="priority",
            )
            for step in steps:
                _take(step, referral, staff=staff, partner=None, partner_org_id=None)
            _backdate(referral, _times([received] + [d for _s, d, _t in steps], m), due)
            made += 1
    return made
