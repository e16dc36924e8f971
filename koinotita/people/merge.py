"""Merging a duplicate record into the one kept, and undoing it.

A merge keeps one record (`kept`) and folds the duplicate into it:

- every row that points at the duplicate (consents, contacts' person links, appointments,
  and whatever later apps add with a foreign key to Person) is re-pointed at the kept record;
  in a link table an app declares in its personal-data contract (a contact's persons), a
  row that would repeat one of the kept record is dropped instead (recreated on undo), and
  each app refreshes what it derives from rows that moved (its contract's `after_merge`);
- the duplicate's household membership passes to the kept record if it has none, and the
  duplicate leaves its household in any case;
- blank fields of the kept record are filled from the duplicate (an identifier with the
  fields that belong to it, e.g. an ID number with its type);
- the duplicate is marked `merged_into=kept`, so it leaves search and lists.

What moved, which fields were filled and their values before, is stored in
`PersonMerge.moved`, from which `person_merge_undo` restores the previous state: the rows
recorded go back, the fields filled are cleared (unless changed since), the duplicate is
active again. The unique constraints on identifiers apply to records not merged away, so
the duplicate is marked merged before the kept record takes its identifiers, and undo
clears them from the kept record before the duplicate becomes active again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from koinotita.accounts.scoping import Capability, restrict, scope_for
from koinotita.audit.services import audit_record
from koinotita.people import fields as person_fields
from koinotita.people.models import Category, Household, Person, PersonMerge, Sex
from koinotita.people.personal_data import link_tables, personal_data_contracts
from koinotita.people.selectors import person_list_for

MOVED_FORMAT = 1

# Blank fields of the kept record that the duplicate may fill, in groups: the first field
# decides (blank on the kept record, set on the duplicate); the others travel with it.
FILL_GROUPS: tuple[tuple[str, ...], ...] = tuple(person_fields.fill_groups())
IDENTIFIERS = ("amka", "afm", "id_document_number")

# Fields shown side by side before a merge.
COMPARED = (*person_fields.compared(), "household", "registered_at")


# --- reads -------------------------------------------------------------------------------


def person_merge_list_for(user, person: Person) -> QuerySet[PersonMerge]:
    """Merges in which `person` took part, newest first, in the centres the user supervises."""
    return (
        restrict(
            PersonMerge.objects.filter(Q(kept=person) | Q(duplicate=person)),
            user,
            Capability.SUPERVISE,
        )
        .select_related("kept", "duplicate", "merged_by", "undone_by")
        .order_by("-merged_at", "-pk")
    )


def person_merge_get_for(user, person: Person, pk: int) -> PersonMerge:
    """One merge of `person` (as the kept record) in the user's supervision scope, else 404."""
    merge = (
        restrict(PersonMerge.objects.filter(pk=pk, kept=person), user, Capability.SUPERVISE)
        .select_related("kept", "duplicate")
        .first()
    )
    if merge is None:
        raise Http404
    return merge


def person_merge_pair_for(
    user, kept_pk: int, duplicate_pk: int, *, request=None, audit: bool = True
) -> tuple[Person, Person]:
    """The two records of a merge, read in one query: each must be in the user's scope
    (else 404) and in a centre the user supervises (else PermissionDenied). Showing them
    side by side reads both, and is audited as two reads."""
    found = {
        p.pk: p
        for p in person_list_for(user)
        .select_related("centre", "residence_municipality", "household")
        .filter(pk__in={kept_pk, duplicate_pk})
    }
    if kept_pk not in found or duplicate_pk not in found:
        raise Http404
    scope = scope_for(user)
    if not all(scope.allows(Capability.SUPERVISE, p.centre_id) for p in found.values()):
        raise PermissionDenied
    if audit:
        for person in found.values():
            audit_record(action="person.read", actor=user, obj=person, request=request)
    return found[kept_pk], found[duplicate_pk]


def person_merge_filled_labels(merge: PersonMerge) -> list[str]:
    """The names, as the user reads them, of the fields a merge filled."""
    filled = (merge.moved or {}).get("filled", {})
    names = [group[0] for group in FILL_GROUPS if group[0] in filled]
    return [str(Person._meta.get_field(name).verbose_name) for name in names]


def _is_blank(name: str, value) -> bool:
    if name == "sex":
        return value in ("", None, Sex.UNKNOWN)
    return value in ("", None, [], False)


def _json_value(person: Person, name: str):
    model_field = Person._meta.get_field(name)
    value = model_field.value_from_object(person)
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _fillable_groups(kept: Person, duplicate: Person) -> list[tuple[str, ...]]:
    return [
        group
        for group in FILL_GROUPS
        if _is_blank(group[0], _json_value(kept, group[0]))
        and not _is_blank(group[0], _json_value(duplicate, group[0]))
    ]


def _display(person: Person, name: str) -> str:
    value = getattr(person, name)
    if value in (None, "", []):
        return ""
    if name == "categories":
        labels = dict(Category.choices)
        return "; ".join(str(labels.get(code, code)) for code in value)
    if name == "birth_date":
        return value.strftime("%d/%m/%Y")
    if name == "registered_at":
        return timezone.localtime(value).strftime("%d/%m/%Y")
    if name == "id_document_number":
        return f"{person.get_id_document_type_display()} {value}".strip()
    display = getattr(person, f"get_{name}_display", None)
    if display is not None:
        return str(display())
    if name == "residence_municipality":
        return value.label
    return str(value)


@dataclass
class ComparedField:
    name: str
    label: str
    kept: str
    duplicate: str
    fills: bool  # the kept record's value is blank and will be taken from the duplicate

    @property
    def differs(self) -> bool:
        return self.kept != self.duplicate


@dataclass
class MergePreview:
    fields: list[ComparedField] = field(default_factory=list)
    moves: list[tuple[str, int]] = field(default_factory=list)  # (what, how many)
    problems: list[str] = field(default_factory=list)


def person_merge_preview(*, kept: Person, duplicate: Person) -> MergePreview:
    """What a merge of `duplicate` into `kept` would do, for the comparison page."""
    preview = MergePreview(problems=_refusals(kept, duplicate))
    filled = {name for group in _fillable_groups(kept, duplicate) for name in group}
    for name in COMPARED:
        preview.fields.append(
            ComparedField(
                name=name,
                label=str(Person._meta.get_field(name).verbose_name),
                kept=_display(kept, name),
                duplicate=_display(duplicate, name),
                fills=name in filled,
            )
        )
    for model, count in _row_counts(duplicate):
        if count:
            preview.moves.append((str(model._meta.verbose_name_plural), count))
    return preview


def _row_counts(person: Person) -> list[tuple[type, int]]:
    """How many rows of each related table point at `person`, in one query."""
    relations = list(_relations())
    counts = {
        f"rows_{i}": Coalesce(
            Subquery(
                _rows_of(model, fk, person)
                .order_by()
                .values(fk.name)
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
            0,
        )
        for i, (model, fk) in enumerate(relations)
    }
    if not counts:
        return []
    row = Person.objects.filter(pk=person.pk).annotate(**counts).values(*counts).get()
    return [(model, row[f"rows_{i}"]) for i, (model, _fk) in enumerate(relations)]


# --- writes ------------------------------------------------------------------------------


def _relations():
    """(model, foreign key) of every row that points at a person and belongs to them."""
    for rel in Person._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete) or rel.many_to_many:
            continue
        if rel.related_model in (Person, PersonMerge):
            continue
        yield rel.related_model, rel.field


def _key(model, fk) -> str:
    return f"{model._meta.label_lower}.{fk.name}"


def _refresh_derived(moved: set[str], kept: Person, duplicate: Person) -> None:
    """Let the apps refresh what they derive from rows that moved (their contracts'
    `after_merge`, koinotita.people.personal_data); `moved` holds "app.model.field" keys."""
    tables = sorted({key.rsplit(".", 1)[0] for key in moved})
    for contract in personal_data_contracts():
        if contract.after_merge is not None:
            contract.after_merge(
                centre_id=kept.centre_id, person_ids=[kept.pk, duplicate.pk], moved=tables
            )


def _rows_of(model, fk, person: Person) -> QuerySet:
    rows = model._default_manager.filter(**{fk.name: person})
    if any(f.name == "centre" for f in model._meta.concrete_fields):
        rows = rows.filter(centre_id=person.centre_id)  # every personal query names its centre
    return rows


def _refusals(kept: Person, duplicate: Person) -> list[str]:
    problems = []
    if kept.pk == duplicate.pk:
        problems.append(_("A record cannot be merged with itself."))
    if kept.centre_id != duplicate.centre_id:
        problems.append(_("Only records of the same centre can be merged."))
    for person in (kept, duplicate):
        if person.merged_into_id is not None:
            problems.append(
                _("Record #%(id)s was already merged into another record.") % {"id": person.pk}
            )
        if person.anonymised_at is not None:
            problems.append(_("Record #%(id)s is anonymised.") % {"id": person.pk})
    return problems


def _require_supervisor(actor, centre_id: int) -> None:
    if not scope_for(actor).allows(Capability.SUPERVISE, centre_id):
        raise PermissionDenied(_("Only a supervisor of the centre can merge records."))


def _locked(*pks: int) -> dict[int, Person]:
    rows = Person.objects.select_for_update().filter(pk__in=pks).order_by("pk")
    return {p.pk: p for p in rows}


def _move_rows(kept: Person, duplicate: Person) -> tuple[dict, dict]:
    rows: dict[str, list[int]] = {}
    dropped: dict[str, list[int]] = {}
    for model, fk in _relations():
        key = _key(model, fk)
        other = link_tables().get(model._meta.label_lower)
        queryset = _rows_of(model, fk, duplicate)
        if other:
            shared = set(_rows_of(model, fk, kept).values_list(f"{other}_id", flat=True))
            clashes = queryset.filter(**{f"{other}_id__in": shared})
            clash_ids = sorted(clashes.values_list(f"{other}_id", flat=True))
            if clash_ids:
                dropped[key] = clash_ids
                clashes.delete()
        ids = sorted(queryset.values_list("pk", flat=True))
        if ids:
            model._default_manager.filter(pk__in=ids).update(**{fk.attname: kept.pk})
            rows[key] = ids
    return rows, dropped


@transaction.atomic
def person_merge(*, actor, kept: Person, duplicate: Person, request=None) -> PersonMerge:
    """Merge `duplicate` into `kept` (see the module's description). Raises PermissionDenied
    for a non-supervisor and ValidationError for a merge that cannot be done."""
    _require_supervisor(actor, kept.centre_id)
    _require_supervisor(actor, duplicate.centre_id)
    locked = _locked(kept.pk, duplicate.pk)
    kept, duplicate = locked[kept.pk], locked.get(duplicate.pk, locked[kept.pk])
    problems = _refusals(kept, duplicate)
    if problems:
        raise ValidationError(problems, code="merge_refused")

    filled: dict[str, dict] = {}
    for group in _fillable_groups(kept, duplicate):
        for name in group:
            filled[name] = {
                "old": _json_value(kept, name),
                "value": _json_value(duplicate, name),
            }
    household = None
    if duplicate.household_id is not None:
        joins = kept.household_id is None
        household = {
            "id": duplicate.household_id,
            "relationship": duplicate.household_relationship,
            "kept_joined": joins,
            "kept_relationship_before": kept.household_relationship,
        }
        if joins:
            kept.household_id = duplicate.household_id
            kept.household_relationship = duplicate.household_relationship

    # The duplicate leaves the unique constraints first, then the kept record takes its values.
    duplicate.merged_into = kept
    duplicate.household = None
    duplicate.household_relationship = ""
    duplicate.save(
        update_fields=["merged_into", "household", "household_relationship", "updated_at"]
    )
    for name, values in filled.items():
        model_field = Person._meta.get_field(name)
        setattr(kept, model_field.attname, model_field.to_python(values["value"]))
    kept.save(
        update_fields=[
            *(Person._meta.get_field(n).attname for n in filled),
            "household",
            "household_relationship",
            "updated_at",
        ]
    )
    rows, dropped = _move_rows(kept, duplicate)
    _refresh_derived(set(rows), kept, duplicate)
    merge = PersonMerge.objects.create(
        centre_id=kept.centre_id,
        kept=kept,
        duplicate=duplicate,
        merged_by=actor,
        moved={
            "format": MOVED_FORMAT,
            "rows": rows,
            "links_dropped": dropped,
            "filled": filled,
            "household": household,
        },
    )
    detail = {
        "merge": merge.pk,
        "kept": kept.pk,
        "duplicate": duplicate.pk,
        "rows": {key: len(ids) for key, ids in rows.items()},
        "filled": sorted(filled),
    }
    audit_record(action="person.merged", actor=actor, obj=kept, request=request, detail=detail)
    audit_record(action="person.merged", actor=actor, obj=duplicate, request=request, detail=detail)
    return merge


def _undo_refusals(merge: PersonMerge, kept: Person, duplicate: Person) -> list[str]:
    if merge.undone_at is not None:
        return [_("This merge was already undone.")]
    problems = []
    if merge.moved.get("format") != MOVED_FORMAT or merge.moved.get("scrubbed"):
        problems.append(_("This merge no longer holds what is needed to undo it."))
    if not kept.is_active:
        problems.append(_("The record kept was since merged or anonymised."))
    if duplicate.merged_into_id != kept.pk or duplicate.anonymised_at is not None:
        problems.append(_("The merged record has changed since the merge."))
    return problems


def _identifier_clashes(kept: Person, duplicate: Person) -> list[str]:
    """Identifiers the duplicate would share with an active record once restored."""
    problems = []
    for name in IDENTIFIERS:
        value = getattr(duplicate, name)
        if not value:
            continue
        label = Person._meta.get_field(name).verbose_name
        holders = Person.objects.filter(
            centre_id=duplicate.centre_id, merged_into__isnull=True, **{name: value}
        ).exclude(pk__in=[kept.pk, duplicate.pk])
        if getattr(kept, name) == value or holders.exists():
            problems.append(
                _("Another active record now has the same %(field)s as the merged record.")
                % {"field": label}
            )
    return problems


@transaction.atomic
def person_merge_undo(*, actor, merge: PersonMerge, request=None) -> PersonMerge:
    """Undo a merge: the rows recorded go back to the duplicate, the fields filled are
    cleared, the duplicate is active again. Fields changed since the merge are left as they
    are (and named in the audit event)."""
    _require_supervisor(actor, merge.centre_id)
    merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
    locked = _locked(merge.kept_id, merge.duplicate_id)
    kept, duplicate = locked[merge.kept_id], locked[merge.duplicate_id]
    problems = _undo_refusals(merge, kept, duplicate)
    if problems:
        raise ValidationError(problems, code="undo_refused")
    moved = merge.moved

    kept_fields: list[str] = []
    changed_since: list[str] = []
    for name, values in moved["filled"].items():
        model_field = Person._meta.get_field(name)
        if _json_value(kept, name) == values["value"]:
            setattr(kept, model_field.attname, model_field.to_python(values["old"]))
            kept_fields.append(model_field.attname)
        else:
            changed_since.append(name)
    household = moved.get("household")
    if household and household["kept_joined"] and kept.household_id == household["id"]:
        kept.household_id = None
        kept.household_relationship = household["kept_relationship_before"]
        kept_fields += ["household", "household_relationship"]
    problems = _identifier_clashes(kept, duplicate)
    if problems:
        raise ValidationError(problems, code="undo_refused")

    # The kept record gives back the identifiers first, then the duplicate is active again.
    kept.save(update_fields=[*kept_fields, "updated_at"])
    duplicate.merged_into = None
    if (
        household
        and Household.objects.filter(pk=household["id"], centre_id=duplicate.centre_id).exists()
    ):
        duplicate.household_id = household["id"]
        duplicate.household_relationship = household["relationship"]
    duplicate.save(
        update_fields=["merged_into", "household", "household_relationship", "updated_at"]
    )
    relations = {_key(model, fk): (model, fk) for model, fk in _relations()}
    returned: dict[str, int] = {}
    for key, ids in moved["rows"].items():
        model, fk = relations[key]
        returned[key] = (
            _rows_of(model, fk, kept).filter(pk__in=ids).update(**{fk.attname: duplicate.pk})
        )
    _refresh_derived({key for key, n in returned.items() if n}, kept, duplicate)
    for key, other_ids in moved["links_dropped"].items():
        model, fk = relations[key]
        other = link_tables()[model._meta.label_lower]
        related = model._meta.get_field(other).related_model
        existing = set(
            related._default_manager.filter(pk__in=other_ids).values_list("pk", flat=True)
        )
        model._default_manager.bulk_create(
            model(centre_id=duplicate.centre_id, **{fk.attname: duplicate.pk, f"{other}_id": i})
            for i in sorted(existing)
        )
    merge.undone_at = timezone.now()
    merge.undone_by = actor
    merge.save(update_fields=["undone_at", "undone_by"])
    detail = {
        "merge": merge.pk,
        "kept": kept.pk,
        "duplicate": duplicate.pk,
        "rows": returned,
        "changed_since_merge": sorted(changed_since),
    }
    audit_record(
        action="person.merge_undone", actor=actor, obj=kept, request=request, detail=detail
    )
    audit_record(
        action="person.merge_undone", actor=actor, obj=duplicate, request=request, detail=detail
    )
    return merge
