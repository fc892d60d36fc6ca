"""report.html: self-contained, SYNTHETIC banner on every section, summary before numbers, real plots."""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

from onpath.report.build import build_report, snapshot_header
from onpath.report.canon import canonical
from onpath.report.plots_svg import bar_chart, nice_max
from onpath.report.render_html import render
from onpath.report.risk import load_thresholds
from onpath.report.sample import sample_analysis, sample_datasets

DATASETS = sample_datasets()


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def html(synthetic=True, analysis=None):
    ds = [dict(d, synthetic=synthetic) for d in DATASETS]
    rep = build_report(analysis or sample_analysis(), snapshot_header("snap", "2025-01-01", ds), synthetic,
                       load_thresholds())
    return render(canonical(rep)), rep


def sections(doc):
    return re.findall(r"<section\b.*?</section>", doc, flags=re.S)


def test_every_section_has_the_synthetic_banner():
    doc, rep = html(True)
    secs = sections(doc)
    assert len(secs) == 2 + len(rep["entities"]) + 1  # overview, entities, coverage, method
    for s in secs:
        assert 'class="synthetic-banner"' in s and "SYNTHETIC" in s


def test_no_banner_when_nothing_is_synthetic():
    doc, rep = html(False)
    assert rep["synthetic"] is False
    assert "synthetic-banner" not in doc.split("</style>")[1]


def test_one_synthetic_dataset_makes_the_report_synthetic():
    ds = [dict(DATASETS[0], synthetic=False), dict(DATASETS[1], synthetic=True)]
    rep = build_report(sample_analysis(), snapshot_header("s", "2025-01-01", ds), False, load_thresholds())
    assert rep["synthetic"] is True


def test_summary_comes_first_in_each_entity_page():
    doc, rep = html()
    for ent in rep["entities"]:
        m = re.search(rf'<section class="entity" id="entity-{ent["id"]}">.*?</section>', doc, flags=re.S)
        assert m, ent["id"]
        page = m.group(0)
        assert page.index('class="summary"') < page.index("Risk band and its drivers") < page.index("<table")
        for para in ent["summary"]:
            assert escape(para, quote=True) in page
        assert ent["risk"]["band"] in page and escape(ent["risk"]["drivers"][0]["label"]) in page


def test_in_brief_summary_precedes_the_overview_numbers():
    doc, rep = html()
    overview = sections(doc)[0]
    assert overview.index("In brief") < overview.index("<table") < overview.index("<svg")
    for ent in rep["entities"]:
        assert f'href="#entity-{ent["id"]}"' in overview


def test_self_contained_no_external_resources():
    doc, _ = html()
    p = Tags()
    p.feed(doc)
    for tag, attrs in p.tags:
        for k in ("src", "href", "action", "data"):
            v = attrs.get(k)
            assert v is None or v.startswith("#"), (tag, k, v)
        assert tag not in ("link", "img", "iframe", "object", "embed")
    assert "@import" not in doc and "url(" not in doc
    assert not re.search(r"<script\b[^>]*\bsrc=", doc)


def test_plots_are_inline_svg_with_titles_and_axes():
    doc, rep = html()
    svgs = re.findall(r"<svg\b.*?</svg>", doc, flags=re.S)
    # 3 overview plots + per entity (most exposed networks, footprint by city)
    assert len(svgs) == 3 + 2 * len(rep["entities"])
    for s in svgs:
        assert "<title>" in s
        assert 'class="axis"' in s or "no " in s
    assert "Exposure of US by entity" in doc and "presence in US by city" in doc
    assert "Hegemony and CTI" in doc and "most exposed networks in US" in doc


def test_coverage_names_vantage_points_dates_and_unresolved():
    doc, rep = html()
    cov = re.search(r'<section id="coverage">.*?</section>', doc, flags=re.S).group(0)
    assert "31 days" in cov and "2024-12-01" in cov and "20241201.as-rel2.txt.bz2" in cov
    assert "paths with loop" in cov and "Vantage points by country" in cov
    assert ">unknown<" in cov  # the ?? country is spelled out


def test_text_is_escaped():
    a = sample_analysis()
    a["entities"][0]["name"] = "<script>alert(1)</script>"
    doc, _ = html(analysis=a)
    assert "<script>alert(1)" not in doc and "&lt;script&gt;alert(1)" in doc


def test_bar_lengths_follow_the_values():
    svg = bar_chart("t", ["a", "b"], [("s", [0.5, 0.25])], axis_label="x", max_value=1.0, width=500)
    widths = [float(w) for w in re.findall(r'<rect x="\d+" y="[\d.]+" width="([\d.]+)"', svg)]
    assert len(widths) == 2 and abs(widths[0] - 2 * widths[1]) < 0.2
    assert ">50.0%<" in svg and ">n/a<" not in svg
    assert "n/a" in bar_chart("t", ["a"], [("s", [None])], axis_label="x")


def test_nice_axis():
    assert nice_max(0.37) == (0.5, 0.1)
    assert nice_max(7, integer=True) == (10, 2)
    assert nice_max(3, integer=True) == (3.0, 1.0)
    assert nice_max(0) == (1.0, 0.25)


def test_dataset_dates_and_ages_sit_beside_the_figures():
    doc, rep = html()
    page = re.search(r'<section class="entity" id="entity-china-telecom">.*?</section>', doc, flags=re.S).group(0)
    assert "CAIDA AS relationships, dated 2024-12-01; 31 days old at the snapshot date" in page
    assert "no peeringdb dataset in the snapshot" in page  # said, not hidden
    assert page.count("Confidence ") >= 3  # beside exposure table, plot, and hegemony/CTI
