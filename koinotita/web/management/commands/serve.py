import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Koinotita with gunicorn (KOINOTITA_BIND, KOINOTITA_PORT, KOINOTITA_WORKERS)."

    def handle(self, *args, **options):
        bind = f"{settings.BIND}:{settings.PORT}"
        self.stdout.write(f"Serving on http://{bind}/ (Ctrl+C to stop)")
        self.stdout.flush()
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "koinotita.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(settings.WORKERS),
            "--threads",
            "4",
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "5",
        ]
        os.execv(sys.executable, argv)  # noqa: S606  (fixed argv, no shell)
