from datetime import timedelta

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koinotita.directory.models import Need
from koinotita.lib.forms import GreekOrder
from koinotita.referrals.models import State, Urgency
from koinotita.referrals.rules import shareable_choices
from koinotita.referrals.selectors import consent_covers, outcome_label

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ServiceChoiceField(forms.ModelChoiceField):
    iterator = GreekOrder  # lib.forms: the labels in Greek dictionary order

    """Services by name and organisation; those the person consented to share with are
    marked, the others can be saved as a draft but not sent until a consent is recorded."""

    iterator = GreekOrder  # lib.forms: the labels in Greek dictionary order
    consented: set[str] = set()
    outcomes: dict | None = None  # what referrals teach about each service, by id

    def label_from_instance(self, obj):
        label = f"{obj.name} — {obj.organization.name}"
        if consent_covers(obj.organization, self.consented):
            mark = _("consent recorded")
            label = f"{label} ({mark})"
        if self.outcomes is not None:
            label = f"{label} [{outcome_label(self.outcomes.get(str(obj.pk)))}]"
        return label


class ReferralForm(forms.Form):
    service = ServiceChoiceField(label=_("Service"), queryset=None)
    reason = forms.CharField(
        label=_("Reason for the referral"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    shared_fields = forms.MultipleChoiceField(
        label=_("Shared with the recipient"),
        help_text=_(
            "Only these fields will be shown to the recipient, and the referral can be sent "
            "only if the person has consented to sharing with that organisation."
        ),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    response_due = forms.DateField(label=_("Answer expected by"), required=False, widget=DATE)

    def __init__(self, *args, services, consented=frozenset(), outcomes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        self.fields["service"].consented = set(consented)
        self.fields["service"].outcomes = outcomes
        self.fields["shared_fields"].choices = shareable_choices()
        self.initial.setdefault("shared_fields", ["name", "birth_date", "phone"])
        self.initial.setdefault("response_due", timezone.localdate() + timedelta(days=14))


class IncomingForm(forms.Form):
    from_body = forms.CharField(label=_("Referred by (body)"), max_length=200)
    reason = forms.CharField(
        label=_("Reason for the referral"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    response_due = forms.DateField(label=_("Answer expected by"), required=False, widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, max_length=4000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("received_on", timezone.localdate())


class StepForm(forms.Form):
    to_state = forms.ChoiceField(choices=State.choices, widget=forms.HiddenInput)
    # The state the page showed: if it moved on since, someone else answered first.
    seen_state = forms.ChoiceField(choices=State.choices, widget=forms.HiddenInput, required=False)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(label=_("Reason for declining"), required=False, max_length=1000)
    outcome = forms.CharField(
        label=_("Outcome"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Document (PDF, PNG or JPEG)"))


class LinkForm(forms.Form):
    email = forms.EmailField(label=_("Recipient's e-mail"))
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=90)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("days", settings.REFERRALS_LINK_DAYS)


class ServiceFilterForm(forms.Form):
    """Narrows the services offered on the referral form (GET): the person's need, and by
    default only the services that serve the person's municipality."""

    need = forms.ChoiceField(label=_("Need"), required=False)
    everywhere = forms.BooleanField(
        label=_("Also services that do not serve the person's municipality"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].choices = [("", _("Any need")), *Need.choices]
