import django.db.models.deletion
from django.db import migrations, models


def vouch_with_the_centre_of_the_partner_role(apps, schema_editor):
    """Existing memberships take the centre of the user's partner role."""
    PartnerMembership = apps.get_model("referrals", "PartnerMembership")
    RoleAssignment = apps.get_model("accounts", "RoleAssignment")
    for membership in PartnerMembership.objects.filter(centre__isnull=True):
        role = (
            RoleAssignment.objects.filter(user_id=membership.user_id, centre__isnull=False)
            .order_by("-role", "pk")
            .first()
        )
        if role is None:
            membership.delete()
        else:
            membership.centre_id = role.centre_id
            membership.save(update_fields=["centre"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("organisations", "0001_initial"),
        ("referrals", "0003_list_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="partnermembership",
            name="centre",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisations.centre",
                verbose_name="vouched for by (centre)",
            ),
        ),
        migrations.RunPython(vouch_with_the_centre_of_the_partner_role, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="partnermembership",
            name="centre",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisations.centre",
                verbose_name="vouched for by (centre)",
            ),
        ),
    ]
