"""Finds the benchmarks of this folder and runs one on the configured database
(`KOINOTITA_DATABASE_URL`), with Django set up as the `koinotita` command sets it up."""

import argparse
import importlib
import os
import pkgutil
import sys
from pathlib import Path

NOT_BENCHMARKS = {"common", "runner", "__main__"}


def benchmarks() -> dict:
    found = {}
    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if info.name in NOT_BENCHMARKS or info.ispkg:
            continue
        module = importlib.import_module(f"bench.{info.name}")
        if hasattr(module, "run"):
            found[info.name] = module
    return found


def main(argv: list[str] | None = None, out=None) -> None:
    """`bench/run NAME [options]`; `out` (default: standard output) gets the report."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koinotita.settings")
    import django

    django.setup()
    from django.core.management.base import OutputWrapper

    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__)
    sub = parser.add_subparsers(dest="benchmark", required=True)
    found = benchmarks()
    for name, module in sorted(found.items()):
        module.add_arguments(sub.add_parser(name, help=getattr(module, "help", "")))
    options = vars(parser.parse_args(argv))
    found[options["benchmark"]].run(options, OutputWrapper(out or sys.stdout))
