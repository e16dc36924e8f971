from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "programme.figures_exported": _("Exported the figures of the help with programmes"),
    "participation.entered": _("Recorded a participant's entry"),
    "participation.updated": _("Changed a participation record"),
    "participation.exited": _("Recorded a participant's exit"),
    "participation.followed_up": _("Recorded a participant's follow-up"),
    "participation.read": _("Read a participation record"),
    "participation.list": _("Viewed a list of participation records"),
    "participation.imported": _("Imported participation records"),
    "participation.quality_listed": _("Listed the records that block a figure"),
    "report.submitted": _("Submitted an indicator report"),
}
