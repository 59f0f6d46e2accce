from django.db import migrations

ROLE_NAMES = ("Administrator", "Therapist", "Reception")


def create_roles(apps, schema_editor):
    # The groups only; their permissions are given after every migrate (accounts.roles).
    Group = apps.get_model("auth", "Group")
    for name in ROLE_NAMES:
        Group.objects.get_or_create(name=name)


def delete_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_NAMES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_enable_pg_trgm"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(create_roles, delete_roles)]
