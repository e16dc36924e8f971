from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koinotita.reception.models import Channel, Service


class ContactForm(forms.Form):
    """What reception types when logging a contact; the service validates the rest."""

    site = forms.ModelChoiceField(queryset=None, label=_("Site"))
    at = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    services = forms.ModelMultipleChoiceField(
        queryset=Service.objects.none(),
        label=_("Services given"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    request_text = forms.CharField(
        label=_("What was asked"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    minutes = forms.IntegerField(label=_("Minutes"), min_value=0, max_value=480, initial=15)
    note = forms.CharField(label=_("Short note"), required=False, max_length=500)

    def __init__(self, *args, sites, services, anonymous=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        self.fields["services"].queryset = services
        if not self.is_bound:
            self.initial.setdefault("at", timezone.localtime().replace(second=0, microsecond=0))
            self.initial.setdefault("channel", Channel.IN_PERSON)
            if sites.count() == 1:
                self.initial.setdefault("site", sites.first())
        if anonymous:
            for name in ("request_text", "note"):
                del self.fields[name]
