"""Handing the accepted responses to SPSS, Stata, R and spreadsheets with all their metadata."""
