"""Translation round trips: hand every user-visible text to translators (XLSX, PO, XLIFF) and
write their work back into the questionnaire YAML safely, with stale translations found by the
fingerprint of the source text each translation was made from.
"""
