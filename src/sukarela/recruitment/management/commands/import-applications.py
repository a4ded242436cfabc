from sukarela.recruitment.management.commands._importing import ImportCommand


class Command(ImportCommand):
    help = "Import applications from a CSV or XLSX file (labour-office spreadsheets), with an error report."
    kind = "applications"
