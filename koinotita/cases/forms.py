"""Forms of case files: they validate and normalise input, nothing more (rules are in the
services)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
from koinotita.people.models import Person

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class WorkerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


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


class ReassignForm(forms.Form):
    lead_worker = WorkerChoice(label=_("New lead worker"), queryset=None)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_worker"].queryset = workers


class MemberForm(forms.Form):
    user = WorkerChoice(label=_("Worker"), queryset=None)

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = workers


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


class GoalForm(forms.Form):
    plan_version = forms.IntegerField(widget=forms.HiddenInput)
    domain = forms.ChoiceField(label=_("Domain"), choices=Domain.choices)
    title = forms.CharField(label=_("Goal"), max_length=300)
    responsible = WorkerChoice(label=_("Responsible"), queryset=None, required=False)
    target_date = forms.DateField(label=_("Target date"), widget=DATE, required=False)
    actions = forms.CharField(
        label=_("Actions (one a line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = workers


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


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=300)
    assignee = WorkerChoice(label=_("Assignee"), queryset=None)
    due_on = forms.DateField(label=_("Due on"), widget=DATE)

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = workers


class StandaloneTaskForm(TaskForm):
    centre = forms.ModelChoiceField(label=_("Centre"), queryset=None)

    def __init__(self, *args, centres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = centres


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

    def __init__(self, *args, goals, **kwargs):
        super().__init__(*args, **kwargs)
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
