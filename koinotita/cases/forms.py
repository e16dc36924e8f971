"""Forms of case files: they validate and normalise input, nothing more (rules are in the
services)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koinotita.accounts.selectors import staff_matching
from koinotita.cases.models import (
    NOTE_LEVEL_HELP,
    Case,
    ClosureRequest,
    Domain,
    Goal,
    GoalAction,
    Note,
    Rating,
    Session,
)
from koinotita.lib.forms import greek_order
from koinotita.people.models import Person

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class WorkerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


def worker_label(user) -> str:
    return user.get_full_name() or user.get_username()


class WorkerPickerWidget(forms.Widget):
    """A search box for one staff member instead of a list of the whole centre. With htmx,
    typing asks `search_url` for a few matches, shown as radio buttons named like the
    field; without JavaScript the typed name is the answer (`WorkerPicker.clean`)."""

    template_name = "cases/_worker_picker.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.search_url = ""
        self.chosen = None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        pk, text = value if isinstance(value, tuple) else (value, "")
        chosen = self.chosen if self.chosen is not None and str(self.chosen.pk) == str(pk) else None
        context["widget"].update(
            search_url=self.search_url, text=text or "", chosen=chosen, query_name=f"{name}_q"
        )
        return context

    def value_from_datadict(self, data, files, name):
        return (data.get(name) or "", (data.get(f"{name}_q") or "").strip())

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_q" not in data


class WorkerPicker(forms.Field):
    """One staff member of `workers` (a scoped queryset), by id from the picker's matches or
    by the name typed into its box: one match is taken, none or several are an error."""

    widget = WorkerPickerWidget

    def __init__(self, *, workers=None, **kwargs):
        super().__init__(**kwargs)
        self.workers = workers

    def set_workers(self, workers, search_url: str, chosen=None) -> None:
        self.workers = workers
        self.widget.search_url = search_url
        self.widget.chosen = chosen
        self.widget.attrs.setdefault("aria-label", str(self.label))

    def clean(self, value):
        pk, text = value if isinstance(value, tuple) else (value, "")
        if pk:
            found = self.workers.filter(pk=pk).first() if str(pk).isdigit() else None
            if found is None:
                raise ValidationError(
                    _("Choose a staff member of the centre from the list."), code="invalid"
                )
            return found
        if not text:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        matches = staff_matching(self.workers, text, limit=6)
        exact = [u for u in matches if u.get_username().lower() == text.lower()]
        if len(exact) == 1 or len(matches) == 1:
            return (exact or matches)[0]
        if not matches:
            raise ValidationError(
                _("No staff member of the centre is called “%(text)s”."),
                code="no_match",
                params={"text": text},
            )
        raise ValidationError(
            _("Several staff members match “%(text)s”: %(names)s. Type more of the name."),
            code="ambiguous",
            params={"text": text, "names": ", ".join(worker_label(u) for u in matches)},
        )


class CaseOpenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for opening"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Case.Priority.choices, initial=Case.Priority.NORMAL
    )
    lead_worker = WorkerChoice(label=_("Lead worker"), queryset=None)
    team = forms.ModelMultipleChoiceField(
        label=_("Other team members"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    opened_on = forms.DateField(label=_("Opened on"), widget=DATE)
    with_household = forms.BooleanField(label=_("The case concerns the household"), required=False)

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_worker"].queryset = workers
        self.fields["team"].queryset = workers
        self.fields["opened_on"].initial = timezone.localdate()


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Case.Status.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class PickerForm(forms.Form):
    """A form whose `PICKERS` fields pick a staff member of the case's centre by search."""

    PICKERS: tuple[str, ...] = ()

    def __init__(self, *args, workers, search_url="", **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.PICKERS:
            self.fields[name].set_workers(workers, f"{search_url}?field={name}")


class ReassignForm(PickerForm):
    PICKERS = ("lead_worker",)
    lead_worker = WorkerPicker(label=_("New lead worker"))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class MemberForm(PickerForm):
    PICKERS = ("user",)
    user = WorkerPicker(label=_("Worker"))


class AssessmentForm(forms.Form):
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DATE)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessed_on"].initial = timezone.localdate()
        choices = [("", _("Not assessed"))] + [(str(v), label) for v, label in _ratings()]
        for value, label in Domain.choices:
            self.fields[f"rating_{value}"] = forms.ChoiceField(
                label=label, choices=choices, required=False
            )
            self.fields[f"note_{value}"] = forms.CharField(
                label=_("Note"), required=False, max_length=1000
            )

    def domains(self):
        return [(self[f"rating_{v}"], self[f"note_{v}"]) for v, _label in Domain.choices]

    def ratings(self) -> dict:
        data = self.cleaned_data
        return {
            v: (data.get(f"rating_{v}") or None, data.get(f"note_{v}", ""))
            for v in Domain.values
            if data.get(f"rating_{v}")
        }


def _ratings():

    return Rating.choices


class GoalForm(PickerForm):
    PICKERS = ("responsible",)
    plan_version = forms.IntegerField(widget=forms.HiddenInput)
    domain = forms.ChoiceField(label=_("Domain"), choices=Domain.choices)
    title = forms.CharField(label=_("Goal"), max_length=300)
    responsible = WorkerPicker(label=_("Responsible"), required=False)
    target_date = forms.DateField(label=_("Target date"), widget=DATE, required=False)
    actions = forms.CharField(
        label=_("Actions (one a line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class GoalStatusForm(forms.Form):
    plan_version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=Goal.Status.choices)


class ActionForm(forms.Form):
    plan_version = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(label=_("Action"), max_length=500)
    responsible = forms.CharField(label=_("Responsible"), max_length=200, required=False)
    target_date = forms.DateField(label=_("Target date"), widget=DATE, required=False)


class ActionStatusForm(forms.Form):
    plan_version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=GoalAction.Status.choices)


class AgreeForm(forms.Form):
    plan_version = forms.IntegerField(widget=forms.HiddenInput)
    agreed_on = forms.DateField(label=_("Agreed with the person on"), widget=DATE)


class SessionForm(forms.Form):
    held_at = forms.DateTimeField(
        label=_("Date and time"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"]
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Session.Kind.choices)
    mode = forms.ChoiceField(label=_("Mode"), choices=Session.Mode.choices)
    minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=1, max_value=480)
    persons = forms.ModelMultipleChoiceField(
        label=_("Participants"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_participants = forms.CharField(
        label=_("Other participants"), required=False, max_length=300
    )
    summary = forms.CharField(label=_("Topic"), required=False, max_length=300)
    note_text = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    note_level = forms.ChoiceField(
        label=_("Confidentiality of the note"),
        choices=Note.Level.choices,
        help_text=NOTE_LEVEL_HELP,
    )

    def __init__(self, *args, persons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["persons"].queryset = persons
        self.fields["held_at"].initial = timezone.localtime().replace(second=0, microsecond=0)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}))
    level = forms.ChoiceField(
        label=_("Confidentiality"), choices=Note.Level.choices, help_text=NOTE_LEVEL_HELP
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )


class NoteOrReasonForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    upload = forms.FileField(label=_("File"))


class TaskForm(PickerForm):
    PICKERS = ("assignee",)
    title = forms.CharField(label=_("Task"), max_length=300)
    assignee = WorkerPicker(label=_("Assignee"))
    due_on = forms.DateField(label=_("Due on"), widget=DATE)


class StandaloneTaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=300)
    assignee = WorkerChoice(label=_("Assignee"), queryset=None)
    due_on = forms.DateField(label=_("Due on"), widget=DATE)
    centre = forms.ModelChoiceField(label=_("Centre"), queryset=None)

    def __init__(self, *args, workers, centres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = workers
        self.fields["centre"].queryset = centres
        greek_order(self.fields["centre"])


class ClosureForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason for closure"),
        choices=[c for c in Case.ClosureReason.choices if c[0] != "transferred"],
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    open_tasks = forms.ChoiceField(
        label=_("What to do with the open tasks"),
        choices=ClosureRequest.OpenTasks.choices,
        required=False,
    )

    def __init__(self, *args, goals, n_open_tasks: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        if n_open_tasks:
            # The check (services.closure_request) wants one of these two when tasks are
            # open, so the form offers only them, keeping the tasks by default.
            field = self.fields["open_tasks"]
            field.choices = [
                c for c in ClosureRequest.OpenTasks.choices if c[0] != ClosureRequest.OpenTasks.NONE
            ]
            field.required = True
            field.initial = ClosureRequest.OpenTasks.DETACH
        final = [
            c
            for c in Goal.Status.choices
            if c[0] in {Goal.Status.ACHIEVED, Goal.Status.NOT_ACHIEVED, Goal.Status.DROPPED}
        ]
        self.goals = goals
        for goal in goals:
            self.fields[f"goal_{goal.pk}_status"] = forms.ChoiceField(
                label=goal.title,
                choices=[("", "—"), *final],
                required=False,
                initial=goal.status if goal.status in dict(final) else "",
            )
            self.fields[f"goal_{goal.pk}_outcome"] = forms.CharField(
                label=_("Outcome"), required=False, max_length=1000, initial=goal.outcome
            )

    def goal_fields(self):
        return [(self[f"goal_{g.pk}_status"], self[f"goal_{g.pk}_outcome"]) for g in self.goals]

    def goal_outcomes(self) -> dict:
        data = self.cleaned_data
        return {
            str(g.pk): {
                "status": data.get(f"goal_{g.pk}_status", ""),
                "outcome": data.get(f"goal_{g.pk}_outcome", ""),
            }
            for g in self.goals
        }


class TransferForm(forms.Form):
    to_centre = forms.ModelChoiceField(label=_("Receiving centre"), queryset=None)
    consent_given_on = forms.DateField(
        label=_("The person consented to the transfer on"), widget=DATE, required=False
    )
    consent_note = forms.CharField(label=_("How consent was given"), required=False, max_length=300)
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )

    def __init__(self, *args, centres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_centre"].queryset = centres
        greek_order(self.fields["to_centre"])
