"""Moving questionnaires between this toolkit, XLSForm (KoboToolbox, ODK) and SPSS/Stata files."""
