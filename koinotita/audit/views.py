from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from koinotita.accounts.scoping import Capability, scope_for
from koinotita.audit.actions import action_label, object_labels, registered_actions
from koinotita.audit.selectors import audit_list_for
from koinotita.audit.services import audit_record


@require_GET
@login_required
def event_list(request):
    if not scope_for(request.user).has_any(Capability.SUPERVISE):
        raise PermissionDenied
    events = audit_list_for(request.user)
    action = request.GET.get("action", "").strip()
    if action:
        events = events.filter(action=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    for event in page:
        event.label = action_label(event.action)
        event.staff = (
            (event.actor.get_full_name() or event.actor.get_username())
            if event.actor_id
            else event.actor_username
        )
    object_labels(request.user, page.object_list)
    audit_record(action="audit.viewed", actor=request.user, request=request)
    context = {
        "page": page,
        "action": action,
        "actions": [(name, action_label(name)) for name in sorted(registered_actions())],
    }
    return render(request, "audit/event_list.html", context)
