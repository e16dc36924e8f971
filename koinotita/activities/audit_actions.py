from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "activity.created": _("Recorded an activity"),
    "activity.read": _("Opened an activity"),
    "activity.list": _("Viewed a list of activities"),
    "activity.attendance": _("Recorded attendance at an activity"),
    "activity.anonymous_counted": _("Counted the anonymous attendees of an activity"),
    "activity.report": _("Viewed the activity report"),
    "series.created": _("Recorded a series of activities"),
    "volunteer.registered": _("Registered a volunteer"),
    "volunteer.hours": _("Recorded a volunteer's hours"),
    "distribution.created": _("Recorded an aid distribution"),
    "distribution.stock": _("Recorded stock received for a distribution"),
    "distribution.handout": _("Recorded what a household received"),
    "distribution.read": _("Opened an aid distribution"),
}
