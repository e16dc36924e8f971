"""`koinotita funding summary --region CODE [--json]` and
`koinotita funding import-expenditures --operation CODE --user USERNAME FILE`."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from koinotita.accounts.models import User
from koinotita.funding.models import Operation
from koinotita.funding.selectors import operation_list_for, region_summary
from koinotita.funding.services import expenditure_import
from koinotita.lib import uploads
from koinotita.organisations.models import Region


class Command(BaseCommand):
    help = "Grant operations: a region's summary, or an import of expenditures."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        summary = sub.add_parser("summary", help="budget, spending and warnings of a region")
        summary.add_argument("--region", required=True, help="region code, e.g. dytiki-makedonia")
        summary.add_argument("--json", action="store_true", help="print JSON")
        summary.add_argument("--language", default=settings.LANGUAGE_CODE)
        imp = sub.add_parser("import-expenditures", help="import a CSV/XLSX of expenditures")
        imp.add_argument("file", type=Path)
        imp.add_argument("--operation", required=True, help="the operation's MIS code")
        imp.add_argument("--user", required=True, help="the supervisor who imports")
        imp.add_argument("--language", default=settings.LANGUAGE_CODE)

    def handle(self, *args, **options):
        with translation.override(options["language"]):
            if options["action"] == "summary":
                self._summary(options)
            else:
                self._import(options)

    def _summary(self, options):
        region = Region.objects.filter(code=options["region"]).first()
        if region is None:
            codes = ", ".join(Region.objects.order_by("code").values_list("code", flat=True))
            raise CommandError(f"No region {options['region']!r} (known: {codes}).")
        data = region_summary(region)
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{region.name} — {data['as_of']}")
        for op in data["operations"]:
            warnings = f"  [{', '.join(op['warnings'])}]" if op["warnings"] else ""
            self.stdout.write(
                f"  {op['code']:>10}  {op['beneficiary']:<18} {op['end_date']}  "
                f"{op['budget']:>14}  {op['spent']:>14}  {op['balance']:>14}{warnings}"
            )
        t = data["totals"]
        self.stdout.write(
            f"  {'total':>10}  {'':<18} {'':10}  {t['budget']:>14}  {t['spent']:>14}  "
            f"{t['balance']:>14}"
        )

    def _import(self, options):
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {options['user']!r}.")
        operation = operation_list_for(user).filter(code=options["operation"]).first()
        if operation is None:
            if Operation.objects.filter(code=options["operation"]).exists():
                raise CommandError(
                    f"{options['user']} cannot see operation {options['operation']}."
                )
            raise CommandError(f"No operation with MIS code {options['operation']!r}.")
        path: Path = options["file"]
        try:
            data = uploads.read_path(path, max_bytes=settings.IMPORT_MAX_BYTES)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from None
        except uploads.UploadError as exc:
            raise CommandError(f"{path.name}: {exc.messages[0]}") from None
        from django.core.exceptions import PermissionDenied

        try:
            result = expenditure_import(
                actor=user, operation=operation, file_name=path.name, data=data
            )
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        if result.ok:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{path.name}: {result.written} expenditures imported, {result.total} €."
                )
            )
            return
        for line, reason in result.rejected:
            self.stderr.write(f"  line {line}: {reason}")
        if result.error:
            self.stderr.write(f"  {result.error}")
        raise CommandError(f"{path.name}: nothing imported ({len(result.rejected)} rows rejected).")
