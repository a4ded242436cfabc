"""The partnership-network API: partners, contacts and agreements (partners.py), training centres
(centres.py), linkages (linkages.py) and the network figures (network.py); one router, each module
adds its operations to it."""

from ninja import Router

router = Router()

from sukarela.partners.api import centres, linkages, network, partners  # noqa: E402  (they register on router)

__all__ = ["router", "partners", "centres", "linkages", "network"]
