"""The person page's parts that other apps contribute: actions (buttons at the top: log a
contact, book an appointment, open a case, refer, …) and sections (the contacts' timeline,
referrals, applications, …).

An app above people registers a `PersonPanel` in its AppConfig.ready() with
`register_person_panel`; the person page renders them in `order`, each from its own template
with the context its `context(request, person)` returns — or not at all when it returns
None (the user may not see it). The person page never imports the apps above people."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.template.loader import render_to_string

ACTION = "action"
SECTION = "section"


@dataclass(frozen=True)
class PersonPanel:
    name: str
    template: str
    context: Callable[..., dict | None]  # (request, person) -> context, or None: not shown
    where: str = SECTION
    order: int = 100


@dataclass
class RenderedPanels:
    actions: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)


_PANELS: dict[str, PersonPanel] = {}


def register_person_panel(panel: PersonPanel) -> PersonPanel:
    if panel.where not in (ACTION, SECTION):
        raise ValueError(f"A person panel is an {ACTION!r} or a {SECTION!r}: {panel.where!r}")
    _PANELS[panel.name] = panel
    return panel


def person_panels(request, person) -> RenderedPanels:
    """The registered panels of `person`'s page, rendered for this request's user."""
    rendered = RenderedPanels()
    for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.name)):
        context = panel.context(request, person)
        if context is None:
            continue
        html = render_to_string(panel.template, {"person": person, **context}, request=request)
        (rendered.actions if panel.where == ACTION else rendered.sections).append(html)
    return rendered
