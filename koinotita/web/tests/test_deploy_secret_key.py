"""Finding 10: `koinotita check --deploy` fails (an error, not a warning) when production
settings run on the checkout's generated key instead of KOINOTITA_SECRET_KEY."""

from koinotita.web.tests.test_operations import PRODUCTION, run_koinotita

WITHOUT_KEY = {k: v for k, v in PRODUCTION.items() if k != "KOINOTITA_SECRET_KEY"}


def generated_key(tmp_path) -> str:
    (tmp_path / "secret_key").write_text("generated-" + "g" * 60)
    return str(tmp_path)


def test_deploy_check_fails_on_the_generated_key(tmp_path):
    result = run_koinotita(
        "check", "--deploy", KOINOTITA_VAR_DIR=generated_key(tmp_path), **WITHOUT_KEY
    )
    assert result.returncode != 0
    assert "koinotita.E001" in result.stderr
    assert "KOINOTITA_SECRET_KEY" in result.stderr
    assert "Δεν έχει οριστεί η KOINOTITA_SECRET_KEY" in result.stderr


def test_deploy_check_fails_when_the_environment_repeats_the_generated_key(tmp_path):
    var = generated_key(tmp_path)
    key = (tmp_path / "secret_key").read_text()
    result = run_koinotita(
        "check", "--deploy", KOINOTITA_VAR_DIR=var, **{**PRODUCTION, "KOINOTITA_SECRET_KEY": key}
    )
    assert result.returncode != 0
    assert "koinotita.E001" in result.stderr


def test_deploy_check_passes_with_the_key_from_the_environment(tmp_path):
    result = run_koinotita(
        "check", "--deploy", "--fail-level", "WARNING",
        KOINOTITA_VAR_DIR=generated_key(tmp_path), **PRODUCTION,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_the_demo_may_run_on_the_generated_key(tmp_path):
    result = run_koinotita(
        "check", "--deploy", KOINOTITA_VAR_DIR=generated_key(tmp_path), KOINOTITA_DEMO="true",
        KOINOTITA_HTTPS="false", **WITHOUT_KEY,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "koinotita.E001" not in result.stderr


def test_the_plain_check_still_runs_on_the_generated_key(tmp_path):
    """Only the deploy check refuses it: `koinotita check` and the commands keep working in
    a checkout set up by the bootstrap."""
    result = run_koinotita("check", KOINOTITA_VAR_DIR=generated_key(tmp_path), **WITHOUT_KEY)
    assert result.returncode == 0, result.stderr
