"""Writers: one module per output library (python-pptx, reportlab+pikepdf), the only places that import them."""
