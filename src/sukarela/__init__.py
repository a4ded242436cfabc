"""Sukarela: the information system of the TKS volunteer-mentor programme."""
