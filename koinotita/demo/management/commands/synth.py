import io
import secrets

from django.core.management.base import BaseCommand, CommandError

from koinotita.demo.applications import applications_synth
from koinotita.demo.synthetic import SynthError, synth_generate
from koinotita.lib.progress import Progress
from koinotita.organisations.models import Centre
from koinotita.people.models import Person


def _count(value: str) -> int:
    """An integer that may be written 1000000, 1_000_000 or 1,000,000."""
    try:
        return int(value.replace(",", "").replace("_", ""))
    except ValueError:
        raise CommandError(f"Not a whole number: {value!r}.") from None


class Command(BaseCommand):
    help = (
        "Generate synthetic Greek persons, households, consents and contacts: "
        "`koinotita synth --centres 250 --persons 1000000 --contacts 10000000 --seed 1`. "
        "Existing centres are used first; more are created in real municipalities. "
        "Running it again adds more data (new persons with new identifiers). "
        "`--applications N` adds pre-screenings and applications for N synthetic persons "
        "(with `--persons 0`: for the synthetic persons already there only)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--centres",
            type=_count,
            default=None,
            help="number of centres (default: every active centre, at least one)",
        )
        parser.add_argument("--persons", type=_count, default=1000, help="persons (default 1000)")
        parser.add_argument(
            "--contacts", type=_count, default=None, help="contacts (default: 10 per person)"
        )
        parser.add_argument(
            "--seed", type=int, default=None, help="random seed, for the same data again"
        )
        parser.add_argument(
            "--years", type=int, default=3, help="years of contacts, up to yesterday (default 3)"
        )
        parser.add_argument(
            "--applications",
            type=_count,
            default=0,
            help="pre-screenings and applications for this many synthetic persons (default 0)",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when the chosen centres already have persons (used by the demo)",
        )

    def handle(self, *args, **options):
        if options["applications"] < 0:
            raise CommandError(
                f"--applications must be zero or more (got {options['applications']})."
            )
        generate = options["persons"] or options["contacts"]
        if generate and self._persons(options) is False:
            return  # --if-empty: the centres have persons, nothing is added
        if options["applications"]:
            self._applications(options)

    def _applications(self, options):
        quiet = options["verbosity"] == 0
        seed = options["seed"] if options["seed"] is not None else 1
        count = options["applications"]
        progress = Progress("applications", count, self.stdout)
        result = applications_synth(
            count=count, seed=seed, progress=lambda done, _total: progress.update(done)
        )
        progress.finish()
        states = ", ".join(f"{n:,} {state}" for state, n in sorted(result.states.items()))
        summary = (
            f"{result.prescreenings:,} pre-screenings, {result.applications:,} applications "
            f"({states or 'none'}), {result.steps:,} steps, {result.tasks:,} renewal tasks "
            f"for {result.persons:,} synthetic persons in {result.seconds:.1f} s"
        )
        if result.applications < count:
            summary += f" (asked for {count:,}: not enough synthetic persons with staff)"
        self.stdout.write(f"      {summary}" if quiet else f"  {summary}")

    def _persons(self, options):
        centres = options["centres"]
        if centres is None:
            centres = max(1, Centre.objects.filter(is_active=True).count())
        persons = options["persons"]
        contacts = options["contacts"] if options["contacts"] is not None else 10 * persons
        seed = options["seed"] if options["seed"] is not None else secrets.randbelow(10**6)
        quiet = options["verbosity"] == 0  # one line: the counts (used by the demo)
        if options["if_empty"] and centres > 0:
            ids = Centre.objects.filter(is_active=True).order_by("id").values("id")[:centres]
            if Person.objects.filter(centre_id__in=ids).exists():
                self.stdout.write("      The centres already have persons: nothing generated.")
                return False
        if not quiet:
            self.stdout.write(
                f"Synthetic data: {centres:,} centres, {persons:,} persons, {contacts:,} "
                f"contacts over {options['years']} years (seed {seed})"
            )
        try:
            result = synth_generate(
                centres=centres,
                persons=persons,
                contacts=contacts,
                seed=seed,
                years=options["years"],
                stream=io.StringIO() if quiet else self.stdout,
            )
        except SynthError as exc:
            raise CommandError(str(exc)) from None
        counts = result.counts
        summary = (
            f"{result.centres} centres ({result.centres_created} created), "
            f"{result.staff} synthetic staff; {counts['persons']:,} persons in "
            f"{counts['households']:,} households, {counts['consents']:,} consents, "
            f"{counts['contacts']:,} contacts ({counts['contact_persons']:,} person links, "
            f"{counts['contact_services']:,} services)"
        )
        if quiet:
            self.stdout.write(f"      {summary} in {result.seconds:.1f} s")
            return
        self.stdout.write("")
        self.stdout.write(f"  {'phase':<12} {'rows':>12} {'seconds':>9} {'rows/s':>11}")
        for phase in result.phases:
            rate = f"{'':>11}" if phase.name in ("indexes", "vacuum") else f"{phase.rate:>11,.0f}"
            self.stdout.write(f"  {phase.name:<12} {phase.rows:>12,} {phase.seconds:>9.1f} {rate}")
        self.stdout.write(f"  {summary}")
        if result.bulk_tables:
            self.stdout.write(
                "  bulk mode (indexes and foreign keys re-created) for: "
                + ", ".join(result.bulk_tables)
            )
        total_rows = sum(v for k, v in counts.items() if not k.startswith("centres"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {result.seconds:.1f} s ({total_rows / max(result.seconds, 1e-9):,.0f} "
                f"rows/s); seed {result.seed}."
            )
        )
