"""The six partner types of the programme and the seven kinds of support partners offer
(national officers may add more later)."""

from django.db import migrations

TYPES = [
    ("kementerian", "Kementerian/lembaga", 10),
    ("pemda", "Pemerintah daerah (Dinas/SKPD)", 20),
    ("bumn", "BUMN", 30),
    ("bank", "Bank", 40),
    ("pendidikan", "Lembaga pendidikan & pelatihan", 50),
    ("pemberdayaan", "Lembaga pemberdayaan masyarakat", 60),
]
OFFERS = [
    ("kredit", "Kredit (mis. KUR)", 10),
    ("hibah", "Hibah", 20),
    ("pelatihan", "Pelatihan", 30),
    ("pasar", "Akses pasar", 40),
    ("peralatan", "Peralatan", 50),
    ("perizinan", "Perizinan/legalitas", 60),
    ("csr", "CSR", 70),
]


def seed(apps, schema_editor):
    for model, rows in (("PartnerType", TYPES), ("Offer", OFFERS)):
        Model = apps.get_model("partners", model)
        for code, name, order in rows:
            Model.objects.update_or_create(code=code, defaults={"name": name, "order": order})


def unseed(apps, schema_editor):
    apps.get_model("partners", "PartnerType").objects.filter(code__in=[c for c, _, _ in TYPES], partners=None).delete()
    apps.get_model("partners", "Offer").objects.filter(code__in=[c for c, _, _ in OFFERS], partner=None).delete()


class Migration(migrations.Migration):

    dependencies = [("partners", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
