"""How every PDF of the toolkit is written: tagged PDF/UA-1 (BITV 2.0), so reports, one-pagers,
codebooks and paper forms can be published by public bodies and read aloud.

WeasyPrint then writes a structure tree of headings, lists and tables with their header cells,
the document language of `<html lang>`, the title of `<title>` (shown instead of the file
name) and the alternative text of each image.
"""

PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}
"""Keyword arguments of WeasyPrint's `write_pdf`."""
