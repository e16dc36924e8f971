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
ACTIONS |= {
    "appointment_request.received": _("Received a public request for an appointment"),
    "appointment_request.read": _("Opened a public request for an appointment"),
    "appointment_request.list": _("Viewed the public requests for an appointment"),
    "appointment_request.confirmed": _("Confirmed a public request as an appointment"),
    "appointment_request.proposed": _("Proposed another time for a public request"),
    "appointment_request.declined": _("Declined a public request for an appointment"),
}
