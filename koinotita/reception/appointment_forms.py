"""Forms of the appointment pages: they parse what is typed; reception.services validates."""

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from koinotita.lib.forms import add_service_errors
from koinotita.reception.services import APPOINTMENT_CLOSING_HOUR, APPOINTMENT_OPENING_HOUR

DURATIONS = [
    (15, _("15 minutes")),
    (30, _("30 minutes")),
    (45, _("45 minutes")),
    (60, _("1 hour")),
    (90, _("1 hour 30 minutes")),
    (120, _("2 hours")),
]


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class AppointmentForm(forms.Form):
    """Book a person with a staff member at a site, on a day, at a time, for a while."""

    # Where a service's error about the appointment belongs on this form.
    SERVICE_FIELDS = {"starts_at": "time", "ends_at": "duration"}

    staff = StaffChoiceField(queryset=None, label=_("With"))
    site = forms.ModelChoiceField(queryset=None, label=_("Site"))
    day = forms.DateField(
        label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    time = forms.TimeField(
        label=_("Time"),
        help_text=format_lazy(
            _("Between {opening:02d}:00 and {closing:02d}:00."),
            opening=APPOINTMENT_OPENING_HOUR,
            closing=APPOINTMENT_CLOSING_HOUR,
        ),
        widget=forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M"),
    )
    duration = forms.TypedChoiceField(
        label=_("Duration"), choices=DURATIONS, coerce=int, initial=30
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        required=False,
        max_length=300,
        help_text=_("What the person needs, in a few words; it is not a confidential note."),
    )

    def __init__(self, *args, sites, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        self.fields["staff"].queryset = staff
        if not self.is_bound:
            self.initial.setdefault("day", timezone.localdate())

    @property
    def starts_at(self) -> datetime:
        data = self.cleaned_data
        return timezone.make_aware(datetime.combine(data["day"], data["time"]))

    def add_service_errors(self, exc) -> None:
        if hasattr(exc, "error_dict"):
            exc.error_dict = {
                self.SERVICE_FIELDS.get(name, name): errors
                for name, errors in exc.error_dict.items()
            }
        add_service_errors(self, exc)


class CalendarDayForm(forms.Form):
    """The `?date=` of the day and week views."""

    date = forms.DateField(
        label=_("Go to date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def day(self):
        if self.is_valid() and self.cleaned_data["date"]:
            return self.cleaned_data["date"]
        return timezone.localdate()


class RequestAnswerForm(forms.Form):
    """Reception's answer to a public request: confirm (a person of the centre, a staff
    member, a day and a time), propose another time, or decline; a note for the citizen."""

    SERVICE_FIELDS = {"starts_at": "time", "ends_at": "duration", "at": "time"}

    action = forms.ChoiceField(
        label=_("Answer"),
        choices=[
            ("confirm", _("Confirm an appointment")),
            ("propose", _("Propose another time")),
            ("decline", _("Decline")),
        ],
        widget=forms.RadioSelect,
        initial="confirm",
    )
    person = forms.IntegerField(
        label=_("Person (record number)"),
        required=False,
        help_text=_("A person of the list above, or one you have just registered."),
    )
    staff = StaffChoiceField(queryset=None, label=_("With"), required=False)
    day = forms.DateField(
        label=_("Day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    time = forms.TimeField(
        label=_("Time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M"),
    )
    duration = forms.TypedChoiceField(
        label=_("Duration"),
        choices=DURATIONS,
        coerce=int,
        initial=30,
        required=False,
        empty_value=30,
    )
    note = forms.CharField(
        label=_("Note to the citizen"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Sent with the e-mail; never a confidential note."),
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff
        if not self.is_bound:
            self.initial.setdefault("day", timezone.localdate())

    def clean(self):
        data = super().clean()
        action = data.get("action")
        needed = {"confirm": ("person", "staff", "day", "time"), "propose": ("day", "time")}
        for name in needed.get(action, ()):
            if data.get(name) in (None, ""):
                self.add_error(name, _("This field is required."))
        return data

    @property
    def starts_at(self) -> datetime:
        data = self.cleaned_data
        return timezone.make_aware(datetime.combine(data["day"], data["time"]))

    add_service_errors = AppointmentForm.add_service_errors
