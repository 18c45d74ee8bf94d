"""Translation round trips: hand every user-visible text to translators (XLSX, PO, XLIFF) and
write their work back into the questionnaire YAML safely, with stale translations found by the
fingerprint of the source text each translation was made from.
"""

from typing import TYPE_CHECKING

from survey.public_api import export_lazily

__all__ = [
    "ImportPlan", "SourceQuestionnaire", "TranslationError", "apply_import", "confirm_current",
    "export", "load_source", "plan_import", "translation_status",
]

if TYPE_CHECKING:
    from survey.translations.confirm import confirm_current
    from survey.translations.errors import TranslationError
    from survey.translations.export import export
    from survey.translations.importer import ImportPlan, apply_import, plan_import
    from survey.translations.status import translation_status
    from survey.translations.texts import SourceQuestionnaire, load_source
else:
    export_lazily(__name__, {
        "survey.translations.confirm": ("confirm_current",),
        "survey.translations.errors": ("TranslationError",),
        "survey.translations.export": ("export",),
        "survey.translations.importer": ("ImportPlan", "apply_import", "plan_import"),
        "survey.translations.status": ("translation_status",),
        "survey.translations.texts": ("SourceQuestionnaire", "load_source"),
    })
