"""The files of deploy/ cannot rot: nginx checks the site (`nginx -t`, inside a wrapper
configuration with a throw-away certificate) and systemd checks the units and timers
(`systemd-analyze verify`). scripts/bootstrap --test installs both; a missing one fails."""

import datetime
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"
KOINOTITA = "/opt/koinotita/.venv/bin/koinotita"


def _binary(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    assert found, f"{name} is missing: scripts/bootstrap --test installs it"
    return found


def _self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kentro.example.gov.gr")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "cert.pem", directory / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


def _nginx_test(tmp_path: Path, site_text: str) -> subprocess.CompletedProcess:
    cert, key = _self_signed(tmp_path)
    site = (
        site_text.replace("/etc/letsencrypt/live/kentro.example.gov.gr/fullchain.pem", str(cert))
        .replace("/etc/letsencrypt/live/kentro.example.gov.gr/privkey.pem", str(key))
        .replace("/var/log/nginx/", f"{tmp_path}/")
    )
    (tmp_path / "koinotita.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\n"
        f"error_log {tmp_path}/error.log;\n"
        "events {}\n"
        "http {\n"
        "  include /etc/nginx/mime.types;\n"
        f"  access_log {tmp_path}/access.log;\n"
        f"  client_body_temp_path {tmp_path}/body;\n"
        f"  proxy_temp_path {tmp_path}/proxy;\n"
        f"  include {tmp_path}/koinotita.conf;\n"
        "}\n"
    )
    return subprocess.run(
        [_binary("nginx"), "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_nginx_site_passes_nginx_t(tmp_path):
    proc = _nginx_test(tmp_path, (DEPLOY / "nginx" / "koinotita.conf").read_text())
    assert proc.returncode == 0, proc.stderr
    assert "syntax is ok" in proc.stderr


def test_the_nginx_check_fails_on_a_broken_site(tmp_path):
    site = (DEPLOY / "nginx" / "koinotita.conf").read_text().replace("proxy_pass", "proxy_pas")
    assert _nginx_test(tmp_path, site).returncode != 0


def test_the_nginx_site_limits_bodies_and_serves_no_documents():
    site = (DEPLOY / "nginx" / "koinotita.conf").read_text()
    assert "client_max_body_size 25m;" in site and "proxy_read_timeout" in site
    assert "location /static/" in site and "documents" not in site.split("location")[-1]


def _verify_units(directory: Path) -> subprocess.CompletedProcess:
    units = sorted(str(p) for p in directory.iterdir())
    return subprocess.run(
        [_binary("systemd-analyze"), "verify", "--man=no", *units],
        capture_output=True,
        text=True,
        check=False,
        cwd=directory,
    )


def _copy_units(into: Path) -> None:
    koinotita = shutil.which("koinotita")
    assert koinotita
    for unit in (DEPLOY / "systemd").iterdir():
        (into / unit.name).write_text(unit.read_text().replace(KOINOTITA, koinotita))


def test_the_systemd_units_and_timers_pass_systemd_analyze_verify(tmp_path):
    _copy_units(tmp_path)
    names = {p.name for p in tmp_path.iterdir()}
    for timer in (n for n in names if n.endswith(".timer")):
        assert timer.replace(".timer", ".service") in names
    assert {"koinotita-web.service", "koinotita-backup.timer"} <= names
    proc = _verify_units(tmp_path)
    assert proc.returncode == 0, proc.stderr


def test_the_systemd_check_fails_on_a_broken_unit(tmp_path):
    _copy_units(tmp_path)
    web = tmp_path / "koinotita-web.service"
    web.write_text(web.read_text().replace("ExecStart=/", "ExecStart=relative/"))
    assert _verify_units(tmp_path).returncode != 0


@pytest.mark.parametrize("unit", sorted(p.name for p in (DEPLOY / "systemd").glob("*.service")))
def test_every_unit_reads_the_environment_file(unit):
    text = (DEPLOY / "systemd" / unit).read_text()
    assert "EnvironmentFile=/etc/koinotita/koinotita.env" in text and "User=koinotita" in text
