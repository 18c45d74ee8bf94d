"""Reports made from the results table and the questionnaire's metadata: HTML and PDF, XLSX
tables, PPTX slides, a chart pack and district one-pagers (docs/howto-reports.md)."""
