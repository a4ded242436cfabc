from sukarela.recruitment.management.commands._importing import ImportCommand


class Command(ImportCommand):
    help = "Import test and/or interview scores by NIK from a CSV or XLSX file."
    kind = "scores"
