"""Maps of the area breakdown: Saxony's districts (BKG, /work/shared/fixtures/maps) drawn as a
choropleth of the area figures, one path per area, classes following the figures, suppressed
areas hatched, the legend in the report's language; bad boundary files stop the report with
what to do; a project without boundaries gets no map and no error."""

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
import yaml
from report_project import PLAN
from support import ROOT, run

from survey.report.errors import ReportError
from survey.report.make import ReportRequest, prepare
from survey.report.maps import BLUES, HATCH, NO_DATA, map_svg, report_maps
from survey.stats.disclosure import SUPPRESSED

FIXTURE = ROOT.parent / "shared" / "fixtures" / "maps" / "sachsen-kreise.geojson"
ATTRIBUTION = "© GeoBasis-DE / BKG 2021 (Daten verändert)"
DISTRICTS = {"14511": "chemnitz", "14612": "dresden", "14713": "leipzig", "14625": "bautzen",
             "14521": "erzgebirge", "14626": "goerlitz", "14729": "lk_leipzig",
             "14627": "meissen", "14522": "mittelsachsen", "14730": "nordsachsen",
             "14628": "saechs_schweiz", "14523": "vogtland", "14524": "zwickau"}
"""The fixture's official keys (ARS) -> the flagship's district choices; "Leipzig" is both a
city and a district, so names would not do."""
AREAS = ("leipzig", "dresden", "chemnitz", "rest")
SVG = "{http://www.w3.org/2000/svg}"

pytestmark = pytest.mark.skipif(not FIXTURE.is_file(), reason="the map fixture is not here")


def districts_geojson(**extra):
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    for feature in data["features"]:
        feature["properties"]["area"] = DISTRICTS[feature["properties"]["ARS"]]
    return {**data, **extra}


def copy_project(project, target):
    for folder in ("questionnaires", "analysis", "results", "reports"):
        shutil.copytree(project / folder, target / folder)
    return target


@pytest.fixture(scope="module")
def map_project(project, tmp_path_factory):
    root = copy_project(project, tmp_path_factory.mktemp("map-project"))
    (root / "reports" / "areas.geojson").write_text(
        json.dumps(districts_geojson(attribution=ATTRIBUTION), ensure_ascii=False),
        encoding="utf-8")
    return root


def builder_of(root, language="de"):
    return prepare(ReportRequest(root, root / PLAN, language=language)).builder


def areas_of(svg):
    tree = ET.fromstring(svg)
    return {p.get("data-area"): p for p in tree.iter(f"{SVG}path")
            if "area" in (p.get("class") or "").split()}


def legend_texts(svg):
    tree = ET.fromstring(svg)
    legend = next(g for g in tree.iter(f"{SVG}g") if g.get("class") == "legend")
    return [t.text for t in legend.iter(f"{SVG}text")]


def test_one_path_per_area_coloured_by_class(map_project):
    builder = builder_of(map_project)
    maps = report_maps(builder)
    assert maps and len(maps) <= 3
    indicator = builder.needs[0]
    assert [m.id for m in maps] == [f"map-{indicator}-{c}"
                                    for c in builder.top_items(indicator)[:len(maps)]]
    for chart in maps:
        paths = areas_of(map_svg(chart))
        assert sorted(paths) == sorted(AREAS)  # ten districts drawn as one area "rest"
        category = chart.id.removeprefix(f"map-{indicator}-")
        figures = {}
        for area, path in paths.items():
            row = builder.rows(indicator, builder.area, area)
            row = row[row["category"] == category].iloc[0]
            assert path.get("data-ref") == f"{indicator}|{builder.area}|{area}|{category}|" \
                "estimate"
            figures[area] = row["estimate"]
        palette = BLUES[len([e for e in chart.legend if e[0].startswith("#")
                             and e[0] != NO_DATA])]
        shade = {area: palette.index(path.get("fill")) for area, path in paths.items()}
        ranked = sorted(paths, key=lambda a: figures[a])
        assert [shade[a] for a in ranked] == sorted(shade[a] for a in ranked)
        assert shade[ranked[-1]] == len(palette) - 1 and shade[ranked[0]] == 0
        # each area carries its figure, and the alt text names every area's figure
        svg = map_svg(chart)
        for area in chart.areas:
            assert area.text in svg and f"{area.label} {area.text}" in chart.alt
        assert ATTRIBUTION in chart.note


def test_suppressed_area_is_hatched_and_named_in_the_legend(map_project):
    builder = builder_of(map_project)
    indicator = builder.needs[0]
    table = builder.table
    hidden = (table["indicator"] == indicator) & (table["breakdown"] == builder.area) \
        & (table["group"] == "chemnitz")
    table.loc[hidden, "flags"] = SUPPRESSED
    table.loc[hidden, "estimate"] = np.nan
    chart = report_maps(builder)[0]
    svg = map_svg(chart)
    paths = areas_of(svg)
    assert paths["chemnitz"].get("fill") == f"url(#{HATCH})"
    assert all(paths[a].get("fill").startswith("#") for a in AREAS if a != "chemnitz")
    assert f'<pattern id="{HATCH}"' in svg
    assert (HATCH, f"unterdrückt (weniger als {builder.min_cell} Befragte)") in chart.legend
    assert "Chemnitz unterdrückt" in chart.alt
    assert "Chemnitz" in svg and "unterdrückt (weniger als" in svg


def test_legend_numbers_in_the_report_language(map_project):
    german = legend_texts(map_svg(report_maps(builder_of(map_project))[0]))
    english = legend_texts(map_svg(report_maps(builder_of(map_project, "en"))[0]))
    assert german[0] == "Anteil der Befragten" and english[0] == "Share of respondents"
    assert all("\u00a0%" in t and ("bis" in t) for t in german[1:])
    assert all(t.endswith("%") and "\u00a0%" not in t and " to " in t for t in english[1:])
    assert " bis unter " in german[1] or len(german) == 2


def test_pdf_report_and_one_pagers_carry_the_map(map_project, tmp_path):
    out = tmp_path / "out"
    outcome = run("report", map_project, "--plan", map_project / PLAN, "--format", "html,pdf",
                  "--out", out)
    assert outcome.exit_code == 0, outcome.output
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.count('class="chart chart-map"') == len(report_maps(builder_of(map_project)))
    assert 'alt="Karte der Gebiete.' in html
    text = subprocess.run(["pdftotext", "-layout", out / "report.pdf", "-"], check=True,
                          capture_output=True, text=True).stdout
    assert "Anteil der Befragten" in text and "bis unter" in text and "nach Gebiet" in text
    assert f"Karte: {ATTRIBUTION}" in text
    page = next(k for k, p in enumerate(text.split("\f"), start=1) if "nach Gebiet" in p)
    subprocess.run(["pdftoppm", "-r", "30", "-png", "-f", str(page), "-l", str(page),
                    out / "report.pdf", tmp_path / "page"], check=True)
    png = next(tmp_path.glob("page*.png"))
    from PIL import Image

    pixels = np.asarray(Image.open(png).convert("RGB")).reshape(-1, 3).astype(int)
    blue = (pixels[:, 2] - pixels[:, 0] > 40)
    assert blue.mean() > 0.05, png  # the areas are filled on the rendered page
    pages = subprocess.run(["pdftotext", out / "one-pagers.pdf", "-"], check=True,
                           capture_output=True, text=True).stdout.split("\f")
    one_pagers = [" ".join(p.split()) for p in pages if "auf einen Blick" in p]
    assert len(one_pagers) == len(AREAS)  # still one page per area
    assert all(ATTRIBUTION in p and "nach Gebiet" in p for p in one_pagers)


def test_boundaries_keyed_by_official_key_in_report_yaml(project, tmp_path):
    root = copy_project(project, tmp_path / "p")
    shutil.copyfile(FIXTURE, root / "reports" / "kreise.geojson")
    facts_file = root / "reports" / "report.yaml"
    facts = yaml.safe_load(facts_file.read_text(encoding="utf-8"))
    facts["map"] = {"file": "reports/kreise.geojson", "key": "ARS",
                    "areas": {k: v for k, v in DISTRICTS.items() if k != "14524"},
                    "attribution": ATTRIBUTION}
    facts_file.write_text(yaml.safe_dump(facts, allow_unicode=True), encoding="utf-8")
    chart = report_maps(builder_of(root))[0]
    assert sorted(chart.shapes) == sorted(AREAS)
    assert len(chart.shapes["rest"]) == 9  # Zwickau is not in areas: left off the map
    assert ATTRIBUTION in chart.note


def write_map(root, text):
    (root / "reports" / "areas.geojson").write_text(text, encoding="utf-8")


@pytest.fixture
def bare(project, tmp_path):
    return copy_project(project, tmp_path / "bare")


def error_of(root):
    with pytest.raises(ReportError) as caught:
        builder_of(root)
    return str(caught.value)


def test_not_json(bare):
    write_map(bare, '{"type": "FeatureCollection", "features": [\n  {"type": }]}')
    message = error_of(bare)
    assert f"{bare / 'reports' / 'areas.geojson'}:2:" in message and "not valid JSON" in message


def test_not_geojson(bare):
    write_map(bare, json.dumps({"type": "Topology", "objects": {}}))
    message = error_of(bare)
    assert "FeatureCollection" in message and "'Topology'" in message


def test_unmatched_area_names(bare):
    data = districts_geojson()
    data["features"][0]["properties"]["area"] = "Chemnitz-Stadt"
    data["features"][3]["properties"]["area"] = "vogtlandkreis"
    write_map(bare, json.dumps(data))
    message = error_of(bare)
    assert "Chemnitz-Stadt, vogtlandkreis are not areas" in message
    assert "leipzig, dresden, chemnitz, rest" in message and "lk_leipzig" in message
    assert "areas.geojson" in message and "map: areas:" in message
    outcome = run("report", bare, "--plan", bare / PLAN, "--format", "html",
                  "--out", bare / "out")
    assert outcome.exit_code == 1 and "Chemnitz-Stadt" in outcome.output
    assert not (bare / "out").exists()


def test_points_are_not_areas(bare):
    data = districts_geojson()
    data["features"][2]["geometry"] = {"type": "Point", "coordinates": [13.0, 51.0]}
    write_map(bare, json.dumps(data))
    message = error_of(bare)
    assert "feature 3 (area mittelsachsen) is a Point" in message
    assert "Polygon and MultiPolygon" in message


def test_missing_key_property(bare):
    write_map(bare, FIXTURE.read_text(encoding="utf-8"))
    message = error_of(bare)
    assert "no property 'area'" in message and "ARS" in message and "map: key:" in message


def test_no_boundaries_no_map_and_no_error(report_de, project):
    html = (report_de / "report.html").read_text(encoding="utf-8")
    assert "chart-map" not in html and "map-" not in " ".join(
        p.name for p in (report_de / "charts").iterdir())
    assert "chart-map" not in (report_de / "one-pagers.html").read_text(encoding="utf-8")
    assert report_maps(builder_of(project)) == []


def test_demo_boundaries_match_the_fixture():
    demo = json.loads((ROOT / "survey" / "demo" / "areas-saxony.geojson").read_text("utf-8"))
    assert {f["properties"]["area"] for f in demo["features"]} == set(DISTRICTS.values())
    assert demo["attribution"] == ATTRIBUTION
    assert Path(FIXTURE).is_file()
