"""Greek is the default language of the interface: every catalogue must be complete, and
hold every string the code marks for translation.

The project catalogue is `koinotita/locale/`; each app may keep its own in
`koinotita/<app>/locale/` (Django's makemessages puts an app's strings there when it has
one). Both rules apply to all of them.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(PACKAGE.glob("**/locale/el/LC_MESSAGES/django.po"))


def _msgids(po: Path) -> set[str]:
    """The msgids of a .po file (the empty header id left out)."""
    ids = set()
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#")]
        text = "\n".join(lines)
        match = re.search(r'^msgid ((?:".*"\n?)+)', text, re.M)
        if match:
            msgid = "".join(re.findall(r'"(.*)"', match.group(1)))
            context = re.search(r'^msgctxt "(.*)"', text, re.M)
            if msgid:
                ids.add((context.group(1) + "\x04" if context else "") + msgid)
    return ids


def test_there_is_a_project_catalogue():
    assert PACKAGE / "locale" / "el" / "LC_MESSAGES" / "django.po" in CATALOGUES


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_greek_catalogue_is_complete(catalogue):
    # msgfmt (GNU gettext, installed by scripts/bootstrap) reports e.g.
    # "170 translated messages, 2 fuzzy translations, 1 untranslated message."
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(catalogue)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "translated message" in result.stderr
    assert "fuzzy" not in result.stderr, result.stderr
    assert "untranslated" not in result.stderr, result.stderr


def test_catalogues_hold_every_string_of_the_code(tmp_path):
    """Extract the strings anew from a copy of the code and compare: a string added to the
    code but never put in a catalogue would show in English to a Greek user."""
    copy = tmp_path / "koinotita"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    django_admin = Path(sys.executable).with_name("django-admin")
    subprocess.run(
        [str(django_admin), "makemessages", "-l", "el", "--no-obsolete", "-v", "0"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    missing = {}
    for catalogue in CATALOGUES:
        fresh = copy / catalogue.relative_to(PACKAGE)
        absent = _msgids(fresh) - _msgids(catalogue)
        if absent:
            missing[str(catalogue.relative_to(PACKAGE))] = sorted(absent)
    assert not missing, (
        f"Strings missing from the catalogues (run makemessages, then translate): {missing}"
    )
