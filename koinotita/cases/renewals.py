"""The renewal task of an approved application (koinotita.programmes.plugins).

An approval is valid for a fixed period (the minimum income: six months, a parameter of the
programme), and the household applies again in the month it expires. When an application
is approved with a renewal date, its worker gets a task due REMIND_DAYS_BEFORE that date,
so the daily reminder e-mail (cases.reminders, which sends each worker's due and overdue
tasks) reminds them before the renewal — there is no second reminder mechanism. A new
renewal date moves the task; an application that is no longer approved cancels it. The
task's title names the application by number only (it travels by e-mail)."""

from datetime import timedelta

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from koinotita.accounts.scoping import Capability, scope_for
from koinotita.audit.services import audit_record
from koinotita.cases.models import Task
from koinotita.programmes.models import Application
from koinotita.programmes.plugins import ApplicationFollower, ApplicationPanel

REMIND_DAYS_BEFORE = 14


def renewal_due_on(application: Application):
    return application.renewal_on - timedelta(days=REMIND_DAYS_BEFORE)


def renewal_title(application: Application) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _(
            "Renewal of application #%(number)d (%(programme)s): help with the new "
            "application from %(date)s"
        ) % {
            "number": application.pk,
            "programme": application.programme.name,
            "date": application.renewal_on.strftime("%d/%m/%Y"),
        }


def renewal_task_sync(*, application: Application, actor, moved_from: int | None = None) -> None:
    """Keep the one open renewal task of `application` with its state and renewal date; an
    application moved to another centre (a transfer) leaves its task at the old one
    cancelled and gets a new one at its new centre."""
    if moved_from is not None:
        for task in Task.objects.filter(
            centre_id=moved_from, application=application, status=Task.Status.OPEN
        ):
            task.status = Task.Status.CANCELLED
            task.save(update_fields=["status"])
            audit_record(action="task.status", actor=actor, obj=task, detail={"moved": True})
    open_tasks = Task.objects.filter(
        centre_id=application.centre_id, application=application, status=Task.Status.OPEN
    )
    wanted = application.state == Application.State.APPROVED and application.renewal_on
    if not wanted:
        for task in open_tasks:
            task.status = Task.Status.CANCELLED
            task.save(update_fields=["status"])
            audit_record(action="task.status", actor=actor, obj=task, detail={"renewal": True})
        return
    title = renewal_title(application)
    due_on = renewal_due_on(application)
    task = open_tasks.first()
    if task is None:
        task = Task.objects.create(
            centre_id=application.centre_id,
            application=application,
            title=title,
            assignee_id=application.staff_id,
            due_on=due_on,
            created_by=actor,
        )
        audit_record(
            action="task.created",
            actor=actor,
            obj=task,
            detail={"application": application.pk, "renewal": True},
        )
    elif (task.title, task.due_on, task.assignee_id) != (title, due_on, application.staff_id):
        task.title, task.due_on, task.assignee_id = title, due_on, application.staff_id
        task.save(update_fields=["title", "due_on", "assignee"])
        audit_record(action="task.status", actor=actor, obj=task, detail={"renewal": True})


def _renewal_panel(request, application: Application) -> dict | None:
    if not scope_for(request.user).allows(Capability.PERSONAL_DATA, application.centre_id):
        return None
    tasks = list(
        Task.objects.filter(centre_id=application.centre_id, application=application)
        .select_related("assignee")
        .order_by("-created_at")[:5]
    )
    return {"renewal_tasks": tasks} if tasks else None


FOLLOWER = ApplicationFollower("cases-renewal-task", renewal_task_sync)
PANEL = ApplicationPanel("cases-renewal-task", "cases/_application_renewal_task.html",
                         _renewal_panel, 20)  # fmt: skip
