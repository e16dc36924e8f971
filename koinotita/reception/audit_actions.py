from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "contact.created": _("Logged a contact"),
    "contact.anonymous": _("Logged an anonymous contact"),
    "appointment.booked": _("Booked an appointment"),
    "appointment.read": _("Opened an appointment"),
    "appointment.list": _("Viewed a list of appointments"),
    "appointment.arrived": _("Checked the person in for an appointment"),
    "appointment.cancelled": _("Cancelled an appointment"),
    "appointment.no_show": _("Recorded that the person did not come"),
    "reminder.sent": _("Sent a reminder to the person"),
    "reminder.failed": _("A reminder to the person failed (to retry)"),
}
