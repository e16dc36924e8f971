"""What the apps above programmes add to an application, registered in their
AppConfig.ready(); programmes never imports them.

- `register_application_follower`: told of every change of an application (each step, a
  transfer), inside the service's transaction — cases keeps the renewal task of an approval
  with it, so the daily reminder (cases.reminders) reminds the worker before the renewal;
- `register_application_panel`: a part of the application's page, rendered from its own
  template with the context its `context(request, application)` returns, or not at all
  when it returns None — cases shows the renewal task, referrals the link that refers an
  approved beneficiary to a service of the directory."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string


@dataclass(frozen=True)
class ApplicationFollower:
    name: str
    # changed(application=…, actor=…, moved_from=None): moved_from is the centre an
    # application left when its person was transferred.
    changed: Callable[..., None]


@dataclass(frozen=True)
class ApplicationPanel:
    name: str
    template: str
    context: Callable[..., dict | None]  # (request, application) -> context, or None
    order: int = 100


_FOLLOWERS: dict[str, ApplicationFollower] = {}
_PANELS: dict[str, ApplicationPanel] = {}


def register_application_follower(follower: ApplicationFollower) -> ApplicationFollower:
    _FOLLOWERS[follower.name] = follower
    return follower


def register_application_panel(panel: ApplicationPanel) -> ApplicationPanel:
    _PANELS[panel.name] = panel
    return panel


def application_changed(*, application, actor, moved_from: int | None = None) -> None:
    for follower in _FOLLOWERS.values():
        follower.changed(application=application, actor=actor, moved_from=moved_from)


def application_panels(request, application) -> list[str]:
    rendered = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.name)):
        context = panel.context(request, application)
        if context is not None:
            rendered.append(
                render_to_string(
                    panel.template, {"application": application, **context}, request=request
                )
            )
    return rendered
