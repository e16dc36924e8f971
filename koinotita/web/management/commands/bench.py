import importlib
import pkgutil

from django.core.management.base import BaseCommand

import koinotita.benchmarks


def _benchmarks() -> dict:
    found = {}
    for info in pkgutil.iter_modules(koinotita.benchmarks.__path__):
        module = importlib.import_module(f"koinotita.benchmarks.{info.name}")
        if hasattr(module, "run"):
            found[info.name] = module
    return found


class Command(BaseCommand):
    help = "Run a benchmark: `koinotita bench NAME` (see bench/README.md)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="benchmark", required=True)
        for name, module in sorted(_benchmarks().items()):
            module.add_arguments(sub.add_parser(name, help=getattr(module, "help", "")))

    def handle(self, *args, **options):
        _benchmarks()[options["benchmark"]].run(options, self.stdout)
