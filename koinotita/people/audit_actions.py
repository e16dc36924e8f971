from django.utils.translation import gettext_lazy as _

from koinotita.people.selectors import person_labels_for

ACTIONS = {
    "person.created": _("Registered the record"),
    "person.read": _("Opened the record"),
    "person.list": _("Viewed a list of persons"),
    "person.search": _("Searched for persons"),
    "person.updated": _("Changed the record"),
    "person.merged": _("Merged records"),
    "person.merge_undone": _("Undid a merge of records"),
    "person.exported": _("Exported the record"),
    "person.anonymised": _("Anonymised the record"),
    "person.imported": _("Imported the record"),
    "consent.given": _("Recorded a consent"),
    "consent.withdrawn": _("Withdrew a consent"),
    "household.joined": _("Added the person to a household"),
    "household.left": _("Removed the person from a household"),
    "household.settled": _("Recorded the household's settlement"),
    "settlement.created": _("Recorded a settlement"),
    "mediator.assigned": _("Assigned to a mediator"),
    "mediator.unassigned": _("Ended an assignment to a mediator"),
    "mediator.assignments_read": _("Viewed the assignments to mediators"),
}

OBJECTS = {"people.person": person_labels_for}
