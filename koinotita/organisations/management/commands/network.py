import json

from django.core.management.base import BaseCommand

from koinotita.organisations.selectors import network_snapshot
from koinotita.organisations.services import network_load_reference


class Command(BaseCommand):
    help = "Print the network of regions, municipalities, centres and sites as text or JSON."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print as JSON (UTF-8)")
        parser.add_argument(
            "--load-reference",
            action="store_true",
            help="create or update the reference network of places.md first",
        )

    def handle(self, *args, **options):
        if options["load_reference"]:
            summary = network_load_reference()
            self.stderr.write(f"Loaded: {summary}")
        data = network_snapshot()
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for region in data["regions"]:
            self.stdout.write(f"{region['name']} ({region['name_en']})")
            for unit in region["regional_units"]:
                self.stdout.write(f"  {unit['name']}")
                for m in unit["municipalities"]:
                    self.stdout.write(f"    {m['name']}")
                    for c in m["centres"]:
                        self.stdout.write(f"      {c['name']}")
                        for s in c["sites"]:
                            self.stdout.write(
                                f"        [{s['kind']}] {s['name']} → {s['serves_municipality']}"
                            )
