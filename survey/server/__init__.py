"""The online form and collection server (survey serve): respondent pages, the submission API,
and the admin area, over the store."""
