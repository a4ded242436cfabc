"""Plain-Python algorithms (apportionment, ranking, matching): no Django imports here."""
