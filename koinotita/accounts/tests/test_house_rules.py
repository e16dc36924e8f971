"""Rules of ARCHITECTURE.md that the code must keep true as it grows."""

import ast
import sys
from pathlib import Path

from django.apps import apps

PERSONAL_APPS = {"people", "reception", "cases", "referrals", "monitoring"}
PACKAGE = Path(__file__).resolve().parents[2]


def test_every_personal_table_carries_its_centre():
    """The data shards by centre: every row about a person knows its owning centre."""
    missing = [
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label in PERSONAL_APPS
        and not model._meta.auto_created
        and "centre" not in {f.name for f in model._meta.get_fields()}
        and model._meta.db_table not in {"reception_service"}  # the catalogue is not personal
    ]
    assert missing == []


def test_views_and_apis_never_query_personal_models_directly():
    """Personal rows are read through selectors (scoped); views and API modules must not
    call `Person.objects`, `Contact.objects`, … themselves."""
    personal_models = {
        m.__name__
        for m in apps.get_models()
        if m._meta.app_label in PERSONAL_APPS and m.__name__ != "Service"
    }
    offenders = []
    for path in PACKAGE.glob("*/*.py"):
        if not (path.name.endswith("views.py") or path.name == "api.py"):
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr == "objects"
                and isinstance(node.value, ast.Name)
                and node.value.id in personal_models
            ):
                offenders.append(
                    f"{path.relative_to(PACKAGE)}:{node.lineno} {node.value.id}.objects"
                )
    assert offenders == []


# --- the layering of docs/ARCHITECTURE.md ----------------------------------------------------

ARCHITECTURE = PACKAGE.parent / "docs" / "ARCHITECTURE.md"
PLATFORM_LAYER = 1


def _layers() -> dict[str, int]:
    """{app: layer} from the layering table of docs/ARCHITECTURE.md."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    table = text.split("<!-- layering table")[1].split("<!-- end of layering table")[0]
    layers = {}
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[0].isdigit():
            for app in cells[1].split(","):
                layers[app.strip()] = int(cells[0])
    return layers


def _imports(path: Path):
    """(line, module) of every import of the package in `path`, inside functions too."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name


def _is_test(path: Path) -> bool:
    return "tests" in path.parts or path.name == "conftest.py"


def layering_violations() -> list[str]:
    layers = _layers()
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if "migrations" in relative.parts or len(relative.parts) < 2:
            continue
        app = relative.parts[0]
        if app == "testing":
            continue  # test scaffolding may reach every app
        if app not in layers:
            found.append(f"{relative}: the app {app!r} is not in the layering table")
            continue
        for line, module in _imports(path):
            parts = module.split(".")
            if parts[0] != "koinotita" or len(parts) < 2 or parts[1] in (app, "conftest"):
                continue
            target = parts[1]
            if target == "testing":
                if not _is_test(path):
                    found.append(f"{relative}:{line} imports {module} outside a test")
                continue
            if target not in layers:
                found.append(f"{relative}:{line} imports {module}, not an app of the table")
                continue
            mine, theirs = layers[app], layers[target]
            if theirs < mine or mine == theirs == PLATFORM_LAYER:
                continue
            found.append(
                f"{relative}:{line} ({app}, layer {mine}) imports {module} (layer {theirs})"
            )
    return found


def test_the_layering_table_names_every_app():
    layers = _layers()
    apps = {p.parent.name for p in PACKAGE.glob("*/apps.py")}
    assert apps - {"testing"} <= set(layers), apps - set(layers)
    assert layers["lib"] == 0 and layers["demo"] == max(layers.values())


def test_apps_depend_downward_only():
    """A lower app never imports a higher one, not even inside a function: the higher app
    registers a plug-in instead (docs/ARCHITECTURE.md, "Shape of the code")."""
    assert layering_violations() == []


def test_the_layering_check_catches_an_upward_import(tmp_path, monkeypatch):
    """The check can fail: a people module importing reception is reported."""
    fake = tmp_path / "koinotita"
    (fake / "people").mkdir(parents=True)
    (fake / "people" / "bad.py").write_text(
        "def f():\n    from koinotita.reception.models import Contact\n"
    )
    (fake / "reception").mkdir()
    (fake / "reception" / "fine.py").write_text("from koinotita.people.models import Person\n")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", fake)
    assert layering_violations() == [
        "people/bad.py:2 (people, layer 2) imports koinotita.reception.models (layer 3)"
    ]


# --- imports at the top of the module ------------------------------------------------------


def function_level_imports(package: Path = PACKAGE) -> list[str]:
    """Imports of the package inside a function, outside `AppConfig.ready()` and without a
    `# import on use: <why>` comment on the line or the one above (docs/ARCHITECTURE.md)."""
    found = []
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package)
        if "migrations" in relative.parts or _is_test(path):
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for function in ast.walk(ast.parse("\n".join(lines))):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if function.name == "ready":
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.ImportFrom) and node.level == 0:
                    modules = [node.module or ""]
                elif isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                else:
                    continue
                if not any(m.split(".")[0] == "koinotita" for m in modules):
                    continue
                around = " ".join(lines[max(node.lineno - 2, 0) : node.end_lineno])
                if "import on use:" not in around:
                    found.append(
                        f"{relative}:{node.lineno} imports {modules[0]} in {function.name}()"
                    )
    return found


def test_imports_of_the_package_sit_at_the_top_of_the_module():
    """A hidden import hides a dependency (and often a cycle): an import inside a function
    is allowed in ready() or with a comment that says why."""
    assert function_level_imports() == []


def test_the_function_level_import_check_can_fail(tmp_path):
    (tmp_path / "people").mkdir()
    (tmp_path / "people" / "bad.py").write_text(
        "def f():\n    from koinotita.people.models import Person\n"
        "def g():\n    # import on use: WeasyPrint loads Pango\n    from koinotita.lib import pdf\n"
    )
    assert function_level_imports(tmp_path) == [
        "people/bad.py:2 imports koinotita.people.models in f()"
    ]
