"""What `survey convert` carries over from XLSForms as Kobo and ODK users write them, what it
adjusts when a part cannot come along, and the files it refuses without writing anything."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from survey.convert.files import convert_file
from survey.convert.report import ConversionReport, ConvertError
from survey.convert.yaml_out import write_questionnaire
from survey.questionnaire import Questionnaire, load_questionnaire
from tests.convert.xlsform_builder import YES_NO, xlsform
from tests.support import run


def convert(form: Path, tmp_path: Path) -> tuple[Questionnaire, list[str]]:
    path, report = convert_file(form, "yaml", tmp_path / "out.yaml")
    return load_questionnaire(path), [str(note) for note in report.notes]


# -- original names ------------------------------------------------------------------------

def test_original_names_and_group_paths_are_kept(tmp_path: Path) -> None:
    form = xlsform(tmp_path / "f.xlsx", [
        ("type", "name", "label"),
        ("begin group", "group_a", "A"),
        ("select_one yn", "Q1.1", "Rent?"),
        ("end group", "", ""),
        ("begin group", "group_b", "B"),
        ("select_one yn", "Q1.1", "Own?"),
        ("integer", "age", "Age"),
        ("end group", "", ""),
    ], YES_NO)
    questionnaire, _ = convert(form, tmp_path)
    first, second, age = questionnaire.questions
    assert first.id != second.id
    assert (first.original, second.original) == ("group_a/Q1.1", "group_b/Q1.1")
    assert age.id == "age" and age.original == "group_b/age"
    assert [(c.name, c.original) for c in first.choices.choices] == [("c1", "1"), ("c0", "0")]


def test_original_names_are_written_only_where_names_changed(tmp_path: Path) -> None:
    form = xlsform(tmp_path / "f.xlsx", [("type", "name", "label"), ("text", "name", "Name"),
                                         ("select_one colours", "FavColour", "Colour?")],
                   [("list_name", "name", "label"), ("colours", "red", "Red"),
                    ("colours", "DarkBlue", "Dark blue")])
    questionnaire, _ = convert(form, tmp_path)
    assert questionnaire.question("name").original is None
    assert questionnaire.question("favcolour").original == "FavColour"
    assert [c.original for c in questionnaire.question("favcolour").choices.choices] == [
        None, "DarkBlue"]


def test_grid_rows_keep_their_names(tmp_path: Path) -> None:
    form = xlsform(tmp_path / "f.xlsx", [
        ("type", "name", "label", "toolkit_type"),
        ("begin group", "services", "How good are the services?", "grid"),
        ("select_one yn", "services__Clear.Info", "Clear information", ""),
        ("select_one yn", "services__near", "Near", ""),
        ("end group", "", "", ""),
    ], YES_NO)
    questionnaire, _ = convert(form, tmp_path)
    grid = questionnaire.question("services")
    assert [(i.id, i.original) for i in grid.items] == [("clear_info", "Clear.Info"),
                                                       ("near", None)]


# -- rules ---------------------------------------------------------------------------------

def test_likert_appearance_becomes_a_rating(tmp_path: Path) -> None:
    form = xlsform(tmp_path / "f.xlsx", [
        ("type", "name", "label", "appearance"),
        ("select_one agree", "satisfied", "Satisfied?", "likert"),
        ("select_one odd", "odd", "Odd scale?", "likert"),
    ], [("list_name", "name", "label")]
       + [("agree", str(i), f"{i} points") for i in range(1, 6)]
       + [("odd", "1", "Yes"), ("odd", "99", "Don't know")])
    questionnaire, notes = convert(form, tmp_path)
    assert questionnaire.question("satisfied").type == "rating"
    assert [c.code for c in questionnaire.question("satisfied").choices.choices] == [
        1, 2, 3, 4, 5]
    assert questionnaire.question("odd").type == "single_choice"
    assert any("question odd: appearance 'likert' not carried over" in n for n in notes)


def test_constraint_messages_are_carried_in_every_language(tmp_path: Path) -> None:
    form = xlsform(tmp_path / "f.xlsx", [
        ("type", "name", "label::English (en)", "label::Deutsch (de)", "constraint",
         "constraint_message::English (en)", "constraint_message::Deutsch (de)"),
        ("integer", "age", "Age", "Alter", ". >= 16 and . <= 99", "16 to 99", "16 bis 99"),
        ("text", "code", "Code", "Kennung", "string-length(.) = 5", "Five letters",
         "Fünf Zeichen"),
    ])
    questionnaire, _ = convert(form, tmp_path)
    age = questionnaire.question("age")
    assert (age.min, age.max) == (16, 99)
    assert age.constraint is not None
    assert age.constraint_message.translations == {"en": "16 to 99", "de": "16 bis 99"}
    code = questionnaire.question("code")
    assert code.constraint.source == "string-length(.) = 5"
    assert code.constraint_message.get("de") == "Fünf Zeichen"


def test_dont_know_excluding_the_others_becomes_exclusive(tmp_path: Path) -> None:
    rules = {
        "a": "not(selected(., 'dk') and count-selected(.) > 1)",
        "b": "not(selected(., 'dk')) or count-selected(.) = 1",
        "c": "count-selected(.) <= 1 or not(selected(., '99'))",
        "d": "not(selected(., 'dk') and (selected(., 'bus') or selected(., 'car') or "
             "selected(., '99')))",
        "e": "(selected(., 'dk') and count-selected(.)=1) or not(selected(., 'dk'))",
    }
    form = xlsform(tmp_path / "f.xlsx", [("type", "name", "label", "constraint")] + [
        ("select_multiple transport", name, f"Transport {name}", rule)
        for name, rule in rules.items()
    ] + [("select_multiple transport", "f", "Bus and car never together",
          "not(selected(., 'bus') and selected(., 'car'))")],
        [("list_name", "name", "label"), ("transport", "bus", "Bus"),
         ("transport", "car", "Car"), ("transport", "dk", "Don't know"),
         ("transport", "99", "Refused")])
    questionnaire, _ = convert(form, tmp_path)
    exclusive = {q.id: {c.original or c.name for c in q.choices.choices if c.exclusive}
                 for q in questionnaire.questions}
    assert exclusive == {"a": {"dk"}, "b": {"dk"}, "c": {"99"}, "d": {"dk"}, "e": {"dk"},
                         "f": set()}
    assert all(questionnaire.question(n).constraint is None for n in rules)
    assert questionnaire.question("f").constraint is not None


def test_numbers_compared_with_choices_named_by_numbers(tmp_path: Path) -> None:
    form = xlsform(tmp_path / "f.xlsx", [
        ("type", "name", "label", "relevant"),
        ("select_one yn", "works", "Do you work?", ""),
        ("text", "job", "Which job?", "${works} = 1"),
        ("text", "why", "Why not?", "${works} != 1"),
        ("integer", "hours", "Hours", "selected(${works}, 1)"),
    ], YES_NO)
    questionnaire, notes = convert(form, tmp_path)
    assert questionnaire.question("job").relevant.source == "${works} = 'c1'"
    assert questionnaire.question("why").relevant.source == "${works} != 'c1'"
    assert questionnaire.question("hours").relevant.source == "selected(${works}, 'c1')"
    assert not [n for n in notes if "not carried over" in n and "relevant" in n]


def test_selected_current_answer_in_a_constraint(tmp_path: Path) -> None:
    form = xlsform(tmp_path / "f.xlsx", [
        ("type", "name", "label", "constraint"),
        ("select_multiple langs", "Languages", "Languages?",
         "not(selected(., 'Deutsch') and selected(., 'Englisch'))"),
    ], [("list_name", "name", "label"), ("langs", "Deutsch", "German"),
        ("langs", "Englisch", "English"), ("langs", "Farsi", "Farsi")])
    questionnaire, _ = convert(form, tmp_path)
    rule = questionnaire.question("languages").constraint
    assert rule is not None
    assert rule.source == "not(selected(., 'deutsch') and selected(., 'englisch'))"


def test_multiple_choice_compared_as_a_whole(tmp_path: Path) -> None:
    form = xlsform(tmp_path / "f.xlsx", [
        ("type", "name", "label", "relevant"),
        ("select_multiple langs", "langs", "Languages?", ""),
        ("text", "only_german", "Why only German?", "${langs} = 'de'"),
        ("text", "none", "Why none?", "${langs} = ''"),
    ], [("list_name", "name", "label"), ("langs", "de", "German"), ("langs", "fa", "Farsi")])
    questionnaire, _ = convert(form, tmp_path)
    assert questionnaire.question("only_german").relevant.source == (
        "(selected(${langs}, 'de') and count-selected(${langs}) = 1)")
    assert questionnaire.question("none").relevant.source == "count-selected(${langs}) = 0"


def test_required_goes_with_a_lost_condition(tmp_path: Path) -> None:
    form = xlsform(tmp_path / "f.xlsx", [
        ("type", "name", "label", "relevant", "required"),
        ("text", "email", "E-mail", "", ""),
        ("note", "ok", "Thanks", "regex(${email}, '@')", ""),
        ("text", "again", "Repeat it", "regex(${email}, '@')", "yes"),
        ("geopoint", "where", "Where?", "", ""),
        ("text", "street", "Street", "${where} = ''", "yes"),
        ("begin group", "extra", "Extra", "pulldata('x', 'y')", ""),
        ("text", "note_x", "Anything else?", "", "yes"),
        ("end group", "", "", "", ""),
    ])
    questionnaire, notes = convert(form, tmp_path)
    for name in ("again", "street", "note_x"):
        question = questionnaire.question(name)
        assert question.relevant is None and question.required is False
        assert any(n.startswith(f"question {name}: required not carried over") for n in notes)


def test_unreadable_calculation_is_removed_with_what_used_it(tmp_path: Path) -> None:
    form = xlsform(tmp_path / "f.xlsx", [
        ("type", "name", "label", "calculation", "relevant"),
        ("integer", "n", "How many?", "", ""),
        ("calculate", "lookup", "", "pulldata('prices', 'price', 'id', ${n})", ""),
        ("calculate", "total", "", "${lookup} * ${n}", ""),
        ("integer", "paid", "How much did you pay?", "", "${total} > 0"),
        ("integer", "kept", "Left over?", "", "${n} > 1"),
        ("calculate", "broken", "", "${n} * * 2", ""),
        ("text", "why", "Why so many?", "", "${broken} > 3 and ${n} > 2"),
    ])
    questionnaire, notes = convert(form, tmp_path)
    assert [q.id for q in questionnaire.questions] == ["n", "paid", "kept", "why"]
    assert questionnaire.question("why").relevant.source == "${n} > 2"
    assert any(n.startswith("question broken: calculation '${n} * * 2' not carried over")
               for n in notes)
    assert ("question broken: calculation left out: its calculation could not be carried "
            "over; adjusted because they used it: question why (relevant)") in notes
    assert questionnaire.question("paid").relevant is None
    assert questionnaire.question("kept").relevant.source == "${n} > 1"
    assert ("question lookup: calculation left out: its expression 'pulldata('prices', "
            "'price', 'id', ${n})' could not be carried over; adjusted because they used it: "
            "question total (calculate)") in notes
    assert any(n.startswith("question total: calculation left out") and
               "question paid (relevant)" in n for n in notes)


# -- languages -----------------------------------------------------------------------------

def test_language_columns_as_kobo_users_name_them(tmp_path: Path) -> None:
    form = xlsform(tmp_path / "f.xlsx", [
        ("type", "name", "label::English (en)", "label::Español", "label::العربية",
         "label::DE", "hint::english"),
        ("text", "name", "Your name?", "¿Su nombre?", "ما اسمك؟", "Ihr Name?", "First name"),
    ])
    questionnaire, notes = convert(form, tmp_path)
    assert set(questionnaire.languages) == {"en", "es", "ar", "de"}
    label = questionnaire.question("name").label
    assert (label.get("es"), label.get("ar"), label.get("de")) == (
        "¿Su nombre?", "ما اسمك؟", "Ihr Name?")
    assert questionnaire.question("name").hint.get("en") == "First name"
    assert not [n for n in notes if n.startswith("languages:") and "names no language" in n]


def test_arabic_default_form_keeps_arabic_in_its_ar_slot(tmp_path: Path) -> None:
    form = xlsform(tmp_path / "f.xlsx", [
        ("type", "name", "label::العربية", "label::English", "label::English (EN)"),
        ("integer", "age", "كم عمرك؟", "How old are you?", "Age?"),
    ], settings=[("form_title", "default_language"), ("Profile", "Arabic")])
    questionnaire, _ = convert(form, tmp_path)
    assert questionnaire.default_language == "ar"
    assert questionnaire.languages == ("ar", "en")
    assert questionnaire.question("age").label.get("ar") == "كم عمرك؟"
    assert questionnaire.question("age").label.get("en") == "How old are you?"


# -- piping; what the format cannot hold yet: listed -----------------------------------------------

def test_piped_answers_are_carried_over_and_later_ones_become_placeholders(
        tmp_path: Path) -> None:
    form = xlsform(tmp_path / "f.xlsx", [
        ("type", "name", "label"),
        ("text", "Name", "Your name?"),
        ("integer", "age", "${Name}, how old are you?"),
        ("integer", "kids", "Children of ${Name} (${town})?"),
        ("text", "town", "Your town?"),
    ])
    questionnaire, notes = convert(form, tmp_path)
    assert questionnaire.question("age").label.get("en") == "${name}, how old are you?"
    assert questionnaire.question("kids").label.get("en") == "Children of ${name} ([town])?"
    assert any(n.startswith("question kids: its label shows the answer to 'town'")
               and "[town]" in n for n in notes)


def test_media_columns_without_their_files_are_listed(tmp_path: Path) -> None:
    form = xlsform(tmp_path / "f.xlsx", [
        ("type", "name", "label", "media::image", "media::audio"),
        ("select_one yn", "clinic", "Is this your clinic?", "clinic.jpg", "clinic.mp3"),
    ], [("list_name", "name", "label", "media::image"), ("yn", "1", "Yes", "yes.png"),
        ("yn", "0", "No", "")])
    _, notes = convert(form, tmp_path)
    assert any("question clinic: media::image 'clinic.jpg' not carried over" in n
               for n in notes)
    assert any("media::audio 'clinic.mp3' not carried over" in n for n in notes)
    assert any("choice 1: media::image 'yes.png' not carried over" in n for n in notes)


# -- bad input: a message, exit 1, nothing written -----------------------------------------

def test_circular_calculation_is_refused_naming_sheet_and_rows(tmp_path: Path) -> None:
    form = xlsform(tmp_path / "f.xlsx", [
        ("type", "name", "label", "calculation"),
        ("integer", "n", "How many?", ""),
        ("calculate", "a", "", "${b} + 1"),
        ("calculate", "b", "", "${a} + ${n}"),
    ])
    out = tmp_path / "f.yaml"
    outcome = run("convert", form, "--to", "yaml", "--out", out)
    assert outcome.exit_code == 1
    assert "f.xlsx, sheet 'survey', column 'calculation' (row 3, row 4): circular " \
           "calculation a → b → a" in outcome.output
    assert "Change one of them" in outcome.output
    assert not out.exists()


def test_form_without_any_question_we_can_ask_is_refused(tmp_path: Path) -> None:
    form = xlsform(tmp_path / "f.xlsx", [
        ("type", "name", "label"),
        ("geopoint", "where", "Where are you?"),
        ("image", "photo", "Take a photo"),
        ("begin repeat", "people", "People"),
        ("text", "person", "Name"),
        ("end repeat", "", ""),
    ])
    out = tmp_path / "f.yaml"
    outcome = run("convert", form, "--to", "yaml", "--out", out)
    assert outcome.exit_code == 1
    assert "f.xlsx has no question the toolkit can take over" in outcome.output
    assert "type 'geopoint' has no counterpart" in outcome.output
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["f.xlsx"]


def test_a_failed_conversion_leaves_an_existing_file_alone(tmp_path: Path) -> None:
    form = xlsform(tmp_path / "f.xlsx", [("type", "name", "label"),
                                         ("geopoint", "where", "Where are you?")])
    out = tmp_path / "f.yaml"
    out.write_text("kept: true\n", encoding="utf-8")
    outcome = run("convert", form, "--to", "yaml", "--out", out, "--yes")
    assert outcome.exit_code == 1
    assert out.read_text(encoding="utf-8") == "kept: true\n"


def test_missing_value_coded_like_a_choice_gets_a_free_code(tmp_path: Path) -> None:
    form = xlsform(tmp_path / "f.xlsx", [
        ("type", "name", "label"), ("select_one a", "q1", "Q1"), ("select_one b", "q2", "Q2"),
    ], [("list_name", "name", "label", "code", "missing"), ("a", "x", "X", 1, ""),
        ("a", "y", "Y", 2, ""), ("b", "z", "Z", 3, ""), ("b", "dk", "Don't know", 1, "yes")])
    questionnaire, notes = convert(form, tmp_path)
    assert [(m.name, m.code) for m in questionnaire.question("q2").missing] == [("dk", -1)]
    assert "missing value dk: code 1 is also a choice code; coded -1 instead" in notes


def test_a_draft_that_cannot_be_made_valid_is_never_written(tmp_path: Path) -> None:
    """The last safeguard: whatever the converter missed, no invalid file reaches the disk."""

    question = {"id": "age", "type": "integer", "label": {"en": "Age"}}
    data = {"format": 1, "survey": {"id": "s", "version": "1", "title": "T",
                                    "organisation": "O", "languages": ["en"],
                                    "default_language": "en"},
            "sections": [{"id": "s1", "title": "S", "questions": [question, dict(question)]}]}
    out = tmp_path / "draft.yaml"
    with pytest.raises(ConvertError, match=re.escape(
            "form.xlsx: the converted questionnaire would not pass survey validate, so nothing "
            "was written")):
        write_questionnaire(data, out, ConversionReport(), "form.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_two_columns_of_one_language_are_joined_with_a_note(tmp_path: Path) -> None:
    form = xlsform(tmp_path / "f.xlsx", [
        ("type", "name", "label::English", "label::English (EN)"),
        ("integer", "age", "How old are you?", "Age in years?"),
        ("integer", "size", "", "How many people live with you?"),
    ])
    questionnaire, notes = convert(form, tmp_path)
    assert questionnaire.languages == ("en",)
    assert questionnaire.question("age").label.get("en") == "How old are you?"
    assert questionnaire.question("size").label.get("en") == "How many people live with you?"
    assert ("languages: columns 'English' and 'English (EN)' both name language 'en'; where "
            "both have a text, the one of 'English' was kept") in notes


def test_a_loop_over_a_choice_list_becomes_one_question_per_choice(tmp_path: Path) -> None:
    form = (Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "realworld"
            / "xlsform" / "kobocat__transportation.xls")
    questionnaire, notes = convert(form, tmp_path)
    looped = [q for q in questionnaire.questions
              if (q.original or "").startswith("transport/loop_over_transport_types_frequency/")]
    assert [q.original.split("/")[2] for q in looped] == [
        "ambulance", "bicycle", "boat_canoe", "bus", "donkey_mule_cart", "keke_pepe", "lorry",
        "motorbike", "taxi", "other"]
    bus = looped[3]
    assert bus.label.get("en") == "Is bus available daily or weekly?"
    assert "'bus'" in bus.relevant.source
    assert any("asked once for each of 10 choices" in n for n in notes)


def test_questions_of_a_loop_keep_the_choice_in_their_ids(tmp_path: Path) -> None:
    """Long names cut to 32 characters would number the copies _2, _3: an analyst then cannot
    tell which crop 'irrigated_during_the_dry_seas_2' is about."""
    form = xlsform(tmp_path / "f.xlsx", [
        ("type", "name", "label"),
        ("begin loop over crops", "crop_details_for_each_household_crop", "Crops"),
        ("integer", "area_planted_in_hectares_last_season", "Area of %(label)s"),
        ("end loop", "", ""),
    ], [("list_name", "name", "label"),
        ("crops", "maize_and_other_cereals_mixed", "Maize"),
        ("crops", "groundnuts_and_pulses_intercropped", "Groundnuts"),
        ("crops", "cassava", "Cassava")])
    questionnaire, _ = convert(form, tmp_path)
    assert [q.id for q in questionnaire.questions] == [
        "area_planted_in_hec_maize_and_ot", "area_planted_in_hec_groundnuts_a",
        "area_planted_in_hectares_cassava"]
    assert all(len(q.id) <= 32 for q in questionnaire.questions)
    assert questionnaire.questions[2].original == (
        "crop_details_for_each_household_crop/cassava/area_planted_in_hectares_last_season")
