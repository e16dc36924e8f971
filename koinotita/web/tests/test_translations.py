"""Greek is the default language of the interface: its catalogue must be complete."""

import subprocess
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "el" / "LC_MESSAGES" / "django.po"


def test_greek_catalogue_is_complete():
    # msgfmt (GNU gettext, installed by scripts/bootstrap) reports e.g.
    # "170 translated messages, 2 fuzzy translations, 1 untranslated message."
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(CATALOGUE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "translated message" in result.stderr
    assert "fuzzy" not in result.stderr, result.stderr
    assert "untranslated" not in result.stderr, result.stderr
