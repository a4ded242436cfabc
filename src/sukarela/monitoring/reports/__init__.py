"""The monthly programme report of one region: content.py gathers the figures and writes the
sentences (from the selectors and monitoring.indicators only), pdf.py and xlsx.py lay them out,
charts.py draws the PDF's charts, text.py formats numbers the Indonesian way, due.py decides
when the schedule builds them."""
