from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "programme.saved": _("Changed a programme of the catalogue"),
    "programme.parameter_saved": _("Changed a programme's parameter"),
    "prescreening.created": _("Recorded a pre-screening of entitlements"),
    "prescreening.checked": _("Checked a household's entitlements without saving"),
    "prescreening.read": _("Opened a pre-screening of entitlements"),
    "prescreening.printed": _("Printed a pre-screening of entitlements"),
    "application.created": _("Started an application"),
    "application.documents": _("Checked an application's documents"),
    "application.submitted": _("Submitted an application"),
    "application.approve": _("Recorded an approved application"),
    "application.reject": _("Recorded a rejected application"),
    "application.ask_documents": _("Recorded that documents were asked for"),
    "application.ended": _("Closed an application"),
    "application.read": _("Opened an application"),
    "application.list": _("Viewed a list of applications"),
}
