from sukarela.core.navigation import STAGES


def navigation(request):
    return {"stages": STAGES}
