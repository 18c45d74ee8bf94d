"""The paper pane: page images made in the background, the last ones kept while new ones are
made or while the file is broken, and a question's boxes marked."""

from __future__ import annotations

import shutil
from pathlib import Path

from preview_helpers import EXAMPLE, broken, relabel, running_preview, save, wait_for

PNG = b"\x89PNG\r\n\x1a\n"


def test_paper_pages_follow_the_last_good_version(tmp_path: Path) -> None:
    watched = Path(shutil.copy(EXAMPLE, tmp_path / "feedback.yaml"))
    with running_preview(watched) as started:
        first = wait_for(lambda: (s := started.state("?q=interp_quality"))["paper"]["pages"]
                         and s, seconds=60, what="the first paper pages")["paper"]
        assert first["good"] == 1 and first["language"] == "de"
        status, headers, body = started.get(first["pages"][0])
        assert status == 200 and headers["Content-Type"] == "image/png" and body[:8] == PNG
        (mark,) = first["highlight"]
        assert 1 <= mark["page"] <= len(first["pages"])
        assert 0 < mark["x"] < 100 and 0 < mark["y"] < 100 and 0 < mark["w"] < 100

        relabel(watched, "Wie gut war die Sprachmittlung?", "War die Sprachmittlung gut?")
        wait_for(lambda: started.state()["good"] == 2)
        during = started.state()["paper"]
        assert during["pages"], "the last pages stay on screen while the new ones are made"
        second = wait_for(lambda: (s := started.state())["paper"]["good"] == 2 and s,
                          seconds=60, what="the new paper pages")["paper"]
        assert second["render"] > first["render"] and not second["rendering"]
        assert started.get(second["pages"][0])[0] == 200

        text = watched.read_text("utf-8")
        save(watched, broken(text))
        wait_for(lambda: started.state()["status"] == "errors")
        assert started.state()["paper"]["pages"] == second["pages"]

        arabic = wait_for(lambda: (s := started.state("?lang=ar"))["paper"]["language"] == "ar"
                          and s, seconds=60, what="the Arabic pages")["paper"]
        assert arabic["render"] > second["render"]
        assert started.get(second["pages"][0])[0] == 200  # a browser may still fetch these
        assert started.get(first["pages"][0])[0] == 200
        save(watched, text.replace("Was können wir besser machen?", "Was sollen wir ändern?"))
        wait_for(lambda: started.state("?lang=ar")["paper"]["good"] == 3, seconds=60)
        assert started.get(first["pages"][0])[0] == 404  # the oldest render is gone
