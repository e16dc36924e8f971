from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "directory.organisation.create": _("Added an organisation to the directory"),
    "directory.organisation.update": _("Changed an organisation in the directory"),
    "directory.service.create": _("Added a service to the directory"),
    "directory.location.create": _("Added a location to the directory"),
    "directory.protocol.create": _("Added a referral protocol"),
    "directory.service.update": _("Changed a service in the directory"),
    "directory.service.capacity": _("Changed a service's capacity"),
    "directory.location.update": _("Changed a location in the directory"),
    "directory.protocol.update": _("Changed a referral protocol"),
    "directory.related.save": _("Changed a directory record's details"),
    "directory.verify": _("Verified a directory record"),
    "directory.change_reported": _("Reported that a directory service changed"),
    "directory.verification_mailed": _("Asked a partner to confirm their services"),
    "directory.verification_refused": _("Refused a directory confirmation link"),
    "directory.import": _("Imported into the directory"),
    "directory.export": _("Exported the directory"),
}
