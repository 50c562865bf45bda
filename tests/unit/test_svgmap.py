"""Unit tests for slihub.stats.svgmap (pure Python, no Django needed)."""

import json
import math
import os
import re
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from slihub.stats.svgmap import Area, bbox_of, build_layout, read_geojson, render, simplify_ring

NS = "{http://www.w3.org/2000/svg}"
REPO_ROOT = Path(__file__).resolve().parents[2]


def box(x0, y0, x1, y1):
    """A closed GeoJSON ring for a lon/lat rectangle."""
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]


def feature(code, name, geometry):
    return {"type": "Feature", "properties": {"CTYUA23CD": code, "CTYUA23NM": name}, "geometry": geometry}


def polygon(*rings):
    return {"type": "Polygon", "coordinates": list(rings)}


def fixture_collection():
    return {
        "type": "FeatureCollection",
        "features": [
            feature("E06000001", "Northtown", polygon(box(-2, 54, -1, 55))),
            # A hole, to check rings and winding.
            feature("E06000002", "Southtown", polygon(box(-2, 52, -1, 53), box(-1.6, 52.4, -1.4, 52.6))),
            feature(
                "E10000001",
                "Eastshire",
                {"type": "MultiPolygon", "coordinates": [[box(0, 52, 1, 53)], [box(1.2, 52.4, 1.3, 52.5)]]},
            ),
            feature("E09000001", "City & <Borough>", polygon(box(-0.2, 51.4, 0, 51.5))),
            feature("E09000002", "Riverside", polygon(box(0, 51.4, 0.2, 51.5))),
        ],
    }


@pytest.fixture
def areas():
    return read_geojson(fixture_collection())


@pytest.fixture
def layout(areas):
    return build_layout(areas)


@pytest.fixture
def inset_layout(areas):
    return build_layout(areas, inset_codes=["E09000001", "E09000002"])


def parse(svg):
    return ET.fromstring(svg)


def points(d):
    """Subpaths of an SVG path's data as lists of (x, y)."""
    return [[tuple(map(float, p.split(","))) for p in sub.split("L")] for sub in re.findall(r"M([^Z]*)Z", d)]


def signed_area(pts):
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1], strict=True)) / 2


def dist_to_ring(p, ring):
    best = math.inf
    for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
        dx, dy = b[0] - a[0], b[1] - a[1]
        L2 = dx * dx + dy * dy
        t = 0 if L2 == 0 else max(0, min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / L2))
        best = min(best, math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy))
    return best


def link_labels(root):
    return [a.get("aria-label") for a in root.iter(f"{NS}a")]


# ---------------------------------------------------------------- reading


def test_it_reads_polygons_and_multipolygons(areas):
    by_code = {a.code: a for a in areas}
    assert len(areas) == 5
    assert by_code["E06000002"].name == "Southtown"
    assert len(by_code["E06000002"].polygons) == 1
    assert len(by_code["E06000002"].polygons[0]) == 2  # outer ring + hole
    assert len(by_code["E10000001"].polygons) == 2
    assert by_code["E06000001"].polygons[0][0][0] == (-2.0, 54.0)


def test_it_reads_custom_property_names():
    fc = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"c": "X1", "n": "Ex"}, "geometry": polygon(box(0, 0, 1, 1))}
        ],
    }
    assert read_geojson(fc, code_prop="c", name_prop="n")[0].code == "X1"


@pytest.mark.parametrize(
    ("geometry", "props", "message"),
    [
        ({"type": "Point", "coordinates": [0, 0]}, None, "unsupported"),
        (None, None, "unsupported"),
        (polygon(box(0, 0, 1, 1)), {"CTYUA23CD": "E1"}, "CTYUA23NM"),
        (polygon([[0, 0], ["a", 1], [1, 1], [0, 0]]), None, "bad position"),
        (polygon([[0, 0], [1, 1], [0, 0]]), None, "at least 4"),
        ({"type": "MultiPolygon", "coordinates": []}, None, "unsupported"),
    ],
)
def test_it_rejects_bad_geojson_naming_the_feature_index(geometry, props, message):
    fc = fixture_collection()
    fc["features"][2] = {
        "type": "Feature",
        "properties": props or {"CTYUA23CD": "E1", "CTYUA23NM": "Bad"},
        "geometry": geometry,
    }
    with pytest.raises(ValueError, match=rf"feature 2\b.*{message}"):
        read_geojson(fc)


def test_it_rejects_something_that_is_not_a_feature_collection():
    with pytest.raises(ValueError, match="FeatureCollection"):
        read_geojson({"type": "Feature"})


# ---------------------------------------------------------------- layout


def test_it_projects_north_up(layout):
    north, south = layout.shapes["E06000001"], layout.shapes["E06000002"]
    assert north.bbox[3] < south.bbox[1]  # SVG y grows downwards
    assert north.centroid[1] < south.centroid[1]


def test_it_projects_east_to_the_right(layout):
    assert layout.shapes["E06000002"].bbox[2] < layout.shapes["E10000001"].bbox[0]


def test_it_fits_the_width_and_keeps_the_aspect_ratio():
    # One 1x1 degree square centred on 52N: x is shrunk by cos(52).
    lay = build_layout([Area("A", "A", ((((0.0, 51.5), (1.0, 51.5), (1.0, 52.5), (0.0, 52.5)),),))])
    x0, y0, x1, y1 = lay.shapes["A"].bbox
    assert lay.width == 600
    assert x0 > 0 and x1 < 600 and y0 > 0 and y1 < lay.height
    assert (x1 - x0) / (y1 - y0) == pytest.approx(math.cos(math.radians(52)), abs=0.01)
    assert lay.height - (y1 - y0) == pytest.approx(600 - (x1 - x0), abs=0.2)  # equal margins


def test_shapes_have_a_centroid_inside_the_largest_polygon(layout):
    shape = layout.shapes["E10000001"]  # mainland square plus a small island to the east
    mainland = points(shape.d)[0]
    xs, ys = [p[0] for p in mainland], [p[1] for p in mainland]
    assert shape.centroid == pytest.approx(((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2), abs=0.1)


def test_holes_are_wound_opposite_to_outer_rings(layout):
    outer, hole = points(layout.shapes["E06000002"].d)
    assert signed_area(outer) * signed_area(hole) < 0


def test_simplification_drops_collinear_points():
    ring = [(0, 52), (0.25, 52), (0.5, 52), (1, 52), (1, 52.5), (1, 53), (0, 53), (0, 52.5), (0, 52)]
    lay = build_layout([Area("A", "A", ((tuple(ring),),))])
    assert len(points(lay.shapes["A"].d)[0]) == 4


def test_simplification_never_drops_an_area():
    tiny = ((0.5, 52.5), (0.5001, 52.5), (0.5001, 52.5001), (0.5, 52.5001), (0.5, 52.5))
    big = ((0, 52), (1, 52), (1, 53), (0, 53), (0, 52))
    island = ((2, 52), (2.0001, 52), (2.0001, 52.0001), (2, 52))
    lay = build_layout([Area("BIG", "Big", ((big,), (island,))), Area("TINY", "Tiny", ((tiny,),))])
    assert len(points(lay.shapes["TINY"].d)) == 1  # smaller than the tolerance, but still drawn
    assert len(points(lay.shapes["BIG"].d)) == 1  # the speck of an island goes


def wiggly_ring(n=400):
    return [
        (
            300 + (200 + 6 * math.sin(i * 0.7) + 3 * math.cos(i * 2.3)) * math.cos(2 * math.pi * i / n),
            300 + (200 + 6 * math.sin(i * 0.7) + 3 * math.cos(i * 2.3)) * math.sin(2 * math.pi * i / n),
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("tolerance", [0.4, 1.0, 3.0])
def test_simplified_ring_stays_within_tolerance(tolerance):
    ring = wiggly_ring()
    simple = simplify_ring([*ring, ring[0]], tolerance)
    assert 3 <= len(simple) < len(ring)
    assert max(dist_to_ring(p, simple) for p in ring) <= tolerance


def test_layout_simplification_stays_within_tolerance_after_rounding():
    # Degrees around 52N; compare against the same layout with no simplification.
    ring = tuple((0.5 + (x - 300) / 400, 52 + (y - 300) / 400) for x, y in wiggly_ring())
    area = [Area("W", "Wiggly", ((ring,),))]
    full = points(build_layout(area, tolerance=0).shapes["W"].d)[0]
    simple = points(build_layout(area, tolerance=2).shapes["W"].d)[0]
    assert len(simple) < len(full)
    assert max(dist_to_ring(p, simple) for p in full) <= 2 + 0.15  # rounding to 0.1 on both sides


def test_bbox_of_unions_and_pads(layout):
    north, south = layout.shapes["E06000001"].bbox, layout.shapes["E06000002"].bbox
    assert bbox_of(layout, ["E06000001", "E06000002", "NOPE"], pad=5) == pytest.approx(
        (min(north[0], south[0]) - 5, north[1] - 5, max(north[2], south[2]) + 5, south[3] + 5)
    )


def test_bbox_of_rejects_unknown_codes(layout):
    with pytest.raises(ValueError):
        bbox_of(layout, ["NOPE"])
    with pytest.raises(ValueError):
        bbox_of(layout, [])


def test_inset_sits_top_right_with_enlarged_copies(inset_layout):
    x0, y0, x1, y1 = inset_layout.inset_frame
    assert set(inset_layout.inset_shapes) == {"E09000001", "E09000002"}
    assert len(inset_layout.shapes) == 5  # the inset areas are still in the main frame too
    assert x1 <= inset_layout.width and x0 >= inset_layout.width * 0.6 and y0 < 20
    assert x1 - x0 == pytest.approx(0.36 * inset_layout.width, abs=1)
    small, big = inset_layout.shapes["E09000001"].bbox, inset_layout.inset_shapes["E09000001"].bbox
    assert big[2] - big[0] > 2 * (small[2] - small[0])
    assert x0 <= big[0] and big[2] <= x1 and y0 <= big[1] and big[3] <= y1


def test_the_inset_frame_never_covers_the_main_map():
    corner = Area("NE", "North East", ((((0.5, 54.5), (1, 54.5), (1, 55), (0.5, 55)),),))
    rest = Area("SW", "South West", ((((-2, 51), (-1, 51), (-1, 52), (-2, 52)),),))
    city = Area("E09", "City", ((((-0.1, 51.5), (0, 51.5), (0, 51.6), (-0.1, 51.6)),),))
    plain = build_layout([corner, rest, city])
    lay = build_layout([corner, rest, city], inset_codes=["E09"])
    fx0, fy0, fx1, fy1 = lay.inset_frame
    assert lay.shapes["NE"].bbox[1] > fy1  # pushed below the frame...
    assert lay.height > plain.height  # ...by growing the canvas


def test_layout_is_deterministic():
    a = build_layout(read_geojson(fixture_collection()), inset_codes=["E09000001", "E09000002"])
    b = build_layout(read_geojson(fixture_collection()), inset_codes=["E09000002", "E09000001"])
    assert a == b


# ---------------------------------------------------------------- rendering


def test_render_is_valid_xml_with_accessible_title_and_description(layout):
    svg = render(layout, title="Children's services", description="Map of 5 areas", id_prefix="m1")
    root = parse(svg)
    assert root.tag == f"{NS}svg"
    assert root[0].tag == f"{NS}title" and root[0].get("id") == "m1-title"
    assert root[0].text == "Children's services"
    assert root[1].tag == f"{NS}desc" and root[1].get("id") == "m1-desc"
    assert root.get("aria-labelledby") == "m1-title m1-desc"
    assert root.get("focusable") == "false" and root.get("class") == "app-map"
    assert root.get("width") is None and root.get("height") is None
    assert root.get("viewBox") == f"0 0 600 {layout.height:g}"


def test_render_omits_desc_when_not_given(layout):
    root = parse(render(layout, title="T"))
    assert root.find(f"{NS}desc") is None
    assert root.get("aria-labelledby") == "map-title"


def test_render_draws_one_titled_path_per_area(layout):
    paths = list(parse(render(layout, title="T")).iter(f"{NS}path"))
    assert len(paths) == 5
    assert {p.find(f"{NS}title").text for p in paths} == {a.name for a in layout.shapes.values()}
    assert all(p.get("class") == "app-map__area" for p in paths)


def test_render_applies_fills_and_the_default_fill(layout):
    paths = {
        p.find(f"{NS}title").text: p
        for p in parse(render(layout, title="T", fills={"E06000001": "#1d70b8"})).iter(f"{NS}path")
    }
    assert paths["Northtown"].get("fill") == "#1d70b8"
    assert paths["Southtown"].get("fill") == "#f3f2f1"


def test_render_uses_labels_and_escapes_everything(layout):
    svg = render(
        layout,
        title='A & B <"map">',
        labels={"E06000001": "Northtown: 12 & <rising>"},
        hrefs={"E09000001": "/la/?a=1&b=2"},
        fills={"E06000002": '"><script>'},
    )
    root = parse(svg)
    assert "<script>" not in svg and "<rising>" not in svg
    assert root.find(f"{NS}title").text == 'A & B <"map">'
    titles = {p.find(f"{NS}title").text for p in root.iter(f"{NS}path")}
    assert {"Northtown: 12 & <rising>", "City & <Borough>"} <= titles
    assert root.find(f"{NS}a").get("href") == "/la/?a=1&b=2"


def test_render_without_hrefs_is_one_image(layout):
    root = parse(render(layout, title="T"))
    assert root.get("role") == "img"
    assert not list(root.iter(f"{NS}a"))


def test_render_with_hrefs_makes_labelled_links_and_no_svg_role(layout):
    root = parse(
        render(layout, title="T", hrefs={"E06000001": "/la/north/"}, labels={"E06000001": "Northtown, 42%"})
    )
    assert root.get("role") is None
    (link,) = root.iter(f"{NS}a")
    assert link.get("href") == "/la/north/" and link.get("class") == "app-map__link"
    assert link.get("aria-label") == "Northtown, 42%"
    assert link.find(f"{NS}path").find(f"{NS}title").text == "Northtown, 42%"
    assert len(list(root.iter(f"{NS}path"))) == 5  # areas without an href are plain paths


def test_render_draws_highlighted_areas_last(layout):
    root = parse(render(layout, title="T", highlight=["E06000001"]))
    paths = list(root.iter(f"{NS}path"))
    assert paths[-1].find(f"{NS}title").text == "Northtown"
    assert paths[-1].get("class") == "app-map__area app-map__area--highlight"
    assert all("highlight" not in p.get("class") for p in paths[:-1])


def test_render_limits_areas_to_codes(layout):
    root = parse(render(layout, title="T", codes=["E06000001", "E10000001", "UNKNOWN"]))
    assert sorted(p.find(f"{NS}title").text for p in root.iter(f"{NS}path")) == ["Eastshire", "Northtown"]


def test_render_crops_to_a_view_box(layout):
    root = parse(render(layout, title="T", view_box=(10, 20.5, 110, 220)))
    assert root.get("viewBox") == "10 20.5 100 199.5"


def test_render_inset_makes_each_area_one_link(inset_layout):
    hrefs = {code: f"/la/{code}/" for code in inset_layout.shapes}
    root = parse(render(inset_layout, title="T", hrefs=hrefs, highlight=["E09000001"]))
    labels = link_labels(root)
    assert sorted(labels) == sorted(s.name for s in inset_layout.shapes.values())  # each exactly once
    inset = root.find(f"{NS}g[@class='app-map__inset']")
    assert inset.find(f"{NS}rect").get("class") == "app-map__inset-frame"
    assert inset.find(f"{NS}text").text == "London"
    assert sorted(link_labels(inset)) == ["City & <Borough>", "Riverside"]
    hidden = [g for g in root.findall(f"{NS}g") if g.get("aria-hidden") == "true"]
    assert sorted(g.find(f"{NS}path/{NS}title").text for g in hidden) == ["City & <Borough>", "Riverside"]
    assert not any(g.find(f".//{NS}a") is not None for g in hidden)


def test_render_without_inset_links_every_area_in_the_main_frame(inset_layout):
    hrefs = {code: f"/la/{code}/" for code in inset_layout.shapes}
    for svg in (
        render(inset_layout, title="T", hrefs=hrefs, show_inset=False),
        # Cropped to London, the inset frame is out of view, so it must not be drawn either.
        render(
            inset_layout, title="T", hrefs=hrefs, view_box=bbox_of(inset_layout, ["E09000001", "E09000002"])
        ),
    ):
        root = parse(svg)
        assert root.find(f"{NS}rect") is None
        assert "aria-hidden" not in svg
        assert len(link_labels(root)) == 5


def test_render_skips_the_inset_when_none_of_its_areas_are_drawn(inset_layout):
    svg = render(inset_layout, title="T", codes=["E06000001"])
    assert "app-map__inset" not in svg and len(list(parse(svg).iter(f"{NS}path"))) == 1


def test_render_emits_no_inline_styles(inset_layout):
    svg = render(inset_layout, title="T", hrefs={"E09000001": "/x/"})
    assert "<style" not in svg and "style=" not in svg and "stroke" not in svg


def test_render_is_deterministic(areas):
    def once():
        lay = build_layout(areas, inset_codes=["E09000001", "E09000002"])
        return render(
            lay, title="T", fills={"E06000001": "#000"}, hrefs={"E09000002": "/r/"}, highlight=["E06000002"]
        )

    assert once() == once()


# ---------------------------------------------------------------- real boundaries (optional)

REAL_FILE = (
    Path(os.environ.get("SLIHUB_DATA_DIR", REPO_ROOT / ".." / "shared" / "data" / "raw"))
    / "derived_ctyua_may2023_england_buc_wgs84.geojson"
)


@pytest.mark.skipif(not REAL_FILE.exists(), reason="real boundary file not available")
def test_real_england_boundaries_render_a_compact_map():
    areas = read_geojson(json.loads(REAL_FILE.read_text()))
    london = [a.code for a in areas if a.code.startswith("E09")]
    started = time.perf_counter()
    lay = build_layout(areas, inset_codes=london)
    assert time.perf_counter() - started < 5
    assert len(lay.shapes) == 153 and len(london) == 33
    assert set(lay.inset_shapes) == set(london)
    svg = render(lay, title="England", hrefs={a.code: f"/la/{a.code}/" for a in areas})
    root = parse(svg)
    assert len(link_labels(root)) == 153
    assert len(svg.encode()) < 400_000
    # The inset frame covers no part of the main map.
    fx0, fy0, fx1, fy1 = lay.inset_frame
    for code, shape in lay.shapes.items():
        if code not in london:
            assert all(not (x > fx0 and y < fy1) for ring in points(shape.d) for x, y in ring), code


def test_a_marked_area_gets_one_ring_where_it_is_shown_hidden_from_assistive_tech(inset_layout):
    hrefs = {code: f"/{code}/" for code in inset_layout.shapes}
    root = parse(render(inset_layout, title="t", hrefs=hrefs, highlight=["E09000002"], marker="E09000002"))
    rings = [g for g in root.iter(f"{NS}g") if g.get("class") == "app-map__marker"]
    assert len(rings) == 1 and rings[0].get("aria-hidden") == "true"
    circles = list(rings[0].iter(f"{NS}circle"))
    x0, y0, x1, y1 = inset_layout.inset_shapes["E09000002"].bbox  # in the inset, where its link is
    assert all(x0 <= float(c.get("cx")) <= x1 and y0 <= float(c.get("cy")) <= y1 for c in circles)
    assert [c.get("stroke") for c in circles] == ["#ffffff", "#0b0c0c"]  # a halo, then the ring
    assert "app-map__marker" not in render(inset_layout, title="t", marker="nowhere")
