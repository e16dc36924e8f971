"""The kinds of record `koinotita import KIND FILE` reads. People's own kind is `persons`;
an app above people adds its kind (monitoring: `participations`) with `register_import_kind`
in its AppConfig.ready(), so the command never imports a higher app."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ImportKind:
    name: str
    add_arguments: Callable  # (subparsers) -> None: adds the `name` subcommand
    run: Callable  # (command, options) -> None


_KINDS: dict[str, ImportKind] = {}


def register_import_kind(kind: ImportKind) -> None:
    _KINDS[kind.name] = kind


def import_kinds() -> dict[str, ImportKind]:
    return dict(_KINDS)
