from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from koinotita.demo.cases import demo_cases_ensure
from koinotita.demo.funding import funding_demo_load
from koinotita.demo.mediators import demo_mediator_ensure
from koinotita.demo.monitoring import demo_participations_ensure
from koinotita.demo.programmes import demo_programmes_ensure
from koinotita.demo.referrals import demo_referrals_ensure
from koinotita.demo.users import demo_password, demo_users_ensure
from koinotita.directory.services import directory_load_sample
from koinotita.organisations.services import network_load_reference
from koinotita.programmes.reference import programmes_load_reference


class Command(BaseCommand):
    help = "Set up the demo (migrate, network, demo users) and serve it. Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="prepare only; do not serve")

    def handle(self, *args, **options):
        self.stdout.write("[1/4] Database…")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("[2/4] Network of centres (places.md)…")
        summary = network_load_reference()
        self.stdout.write(
            f"      {summary.regions} regions, {summary.municipalities} municipalities, "
            f"{summary.centres} centres, {summary.sites} sites"
        )
        directory = directory_load_sample()  # the sample directory of services (idempotent)
        self.stdout.write(f"      directory: {sum(directory.created.values())} new records")
        added = programmes_load_reference()  # the programme catalogue and its parameters
        self.stdout.write(f"      programmes: {added} new programmes")
        self.stdout.write("[3/4] Demo users…")
        users = demo_users_ensure()
        self.stdout.write("[4/4] Synthetic data…")
        # A few thousand persons and their contacts, once: skipped when the centres have persons.
        call_command(
            "synth", "--centres", str(summary.centres), "--persons", "3000", "--contacts",
            "15000", "--seed", "1", "--if-empty", verbosity=0, stdout=self.stdout,
        )  # fmt: skip
        funding_demo_load()  # the grant operations of the centres: skipped when present
        demo_cases_ensure()  # a few dozen case files: skipped when there are cases
        demo_referrals_ensure()  # sample referrals in every state: skipped when present
        demo_mediator_ensure()  # the Florina mediator's persons and settlement: once
        demo_programmes_ensure()  # Almyros' minimum-income applications in every state: once
        demo_participations_ensure()  # ESF participation records, then the dashboards' rollup
        url = f"http://{settings.BIND}:{settings.PORT}/"
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Koinotita demo: {url}"))
        self.stdout.write("Logins (user / password — role, where):")
        for user, assignment in users:
            where = assignment.place.name if assignment.place else "national"
            self.stdout.write(
                f"  {user.username:12} / {demo_password(user.username):17} — "
                f"{assignment.get_role_display()}, {where}"
            )
        self.stdout.write("")
        if not options["no_serve"]:
            call_command("serve")
