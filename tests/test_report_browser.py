"""The HTML pages in headless Chromium: axe-core finds no accessibility violations (WCAG 2.1
AA and best practices), and every page can be photographed."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser


def pages(demo_run) -> list[Path]:
    """Every page of both report years (jaarverslag, verantwoording, three factsheets) and
    the index."""
    found = sorted(p for p in (demo_run / "rapport").glob("*.html") if p.name != "verkenner.html")
    assert len(found) == 11
    return found


def test_no_accessibility_violations(browser, demo_run):
    axe = Axe()
    page = browser.new_page()
    problems = []
    for path in pages(demo_run):
        page.goto(path.as_uri())
        result = axe.run(page).response
        assert result["passes"], "axe did not run"
        problems += [
            f"{path.name}: {v['id']} ({v['impact']}) on {len(v['nodes'])} element(s)"
            for v in result["violations"]
        ]
    assert not problems, "\n".join(problems)


def test_axe_does_find_a_violation(browser, tmp_path):
    """A control: a page with an image without text alternative is reported."""
    control = tmp_path / "control.html"
    control.write_text(
        '<!doctype html><html lang="nl"><title>x</title><main><img src="x.svg"></main></html>'
    )
    page = browser.new_page()
    page.goto(control.as_uri())
    ids = {v["id"] for v in Axe().run(page).response["violations"]}
    assert "image-alt" in ids


def test_screenshots(browser, demo_run, tmp_path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    for path in pages(demo_run):
        page.goto(path.as_uri())
        shot = tmp_path / f"{path.stem}.png"
        page.screenshot(path=str(shot), full_page=True)
        png = shot.read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        height = int.from_bytes(png[20:24], "big")
        minimum = 600 if path.name == "index.html" else 2000
        assert height >= minimum, f"{path.name} renders as an almost empty page ({height} px)"
        # every chart image loaded
        broken = page.evaluate(
            "[...document.images].filter(i => !i.complete || i.naturalWidth === 0).length"
        )
        assert broken == 0, f"{path.name}: {broken} image(s) did not load"
