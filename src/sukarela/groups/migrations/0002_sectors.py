"""The programme's five business sectors (officers may add more later)."""

from django.db import migrations

SECTORS = [
    ("pertanian-peternakan", "Pertanian & peternakan", 10),
    ("perikanan-kelautan", "Perikanan & kelautan", 20),
    ("jasa-boga", "Jasa boga / makanan", 30),
    ("usaha-kreatif", "Usaha kreatif", 40),
    ("perdagangan", "Perdagangan barang & jasa", 50),
]


def add_sectors(apps, schema_editor):
    Sector = apps.get_model("groups", "Sector")
    for code, name, order in SECTORS:
        Sector.objects.update_or_create(code=code, defaults={"name": name, "order": order})


def remove_sectors(apps, schema_editor):
    apps.get_model("groups", "Sector").objects.filter(code__in=[c for c, _, _ in SECTORS], groups=None).delete()


class Migration(migrations.Migration):

    dependencies = [("groups", "0001_initial")]

    operations = [migrations.RunPython(add_sectors, remove_sectors)]
