"""Server-side SVG choropleth maps of England from GeoJSON (standard library only).

Pipeline: read_geojson -> build_layout (project, simplify, inset) -> render (SVG string).
The layout is the slow part and does not depend on the data shown, so build it once and
render many times with different fills/labels/links.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape

Point = tuple[float, float]
Ring = tuple[Point, ...]
Polygon = tuple[Ring, ...]


@dataclass(frozen=True)
class Area:
    """One geographic area in lon/lat: polygons -> rings (first is outer) -> points."""

    code: str
    name: str
    polygons: tuple[Polygon, ...]


@dataclass(frozen=True)
class Shape:
    """One area projected to SVG user units."""

    code: str
    name: str
    d: str  # path data, one "M..L..Z" subpath per ring; holes wound opposite to outers
    bbox: tuple[float, float, float, float]  # x0, y0, x1, y1
    centroid: tuple[float, float]  # of the largest polygon, for labels/locators


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    shapes: dict[str, Shape]
    inset_shapes: dict[str, Shape]
    inset_frame: tuple[float, float, float, float] | None
    inset_title: str


# ---------------------------------------------------------------- reading


def _ring(raw: object, where: str) -> Ring:
    if not isinstance(raw, list) or len(raw) < 4:
        raise ValueError(f"{where}: a ring needs a list of at least 4 positions")
    pts = []
    for pos in raw:
        if (
            not isinstance(pos, list | tuple)
            or len(pos) < 2
            or not all(type(v) in (int, float) and math.isfinite(v) for v in pos[:2])
        ):
            raise ValueError(f"{where}: bad position {pos!r}")
        pts.append((float(pos[0]), float(pos[1])))
    return tuple(pts)


def _polygon(raw: object, where: str) -> Polygon:
    if not isinstance(raw, list) or not raw:
        raise ValueError(f"{where}: a polygon needs a non-empty list of rings")
    return tuple(_ring(r, f"{where} ring {j}") for j, r in enumerate(raw))


def read_geojson(obj: dict, *, code_prop: str = "CTYUA23CD", name_prop: str = "CTYUA23NM") -> list[Area]:
    """Turn a FeatureCollection of Polygon/MultiPolygon features into Areas.

    Raises ValueError naming the feature index for anything unexpected, so a bad
    boundary file fails loudly at load time rather than drawing a broken map.
    """
    if not isinstance(obj, dict) or obj.get("type") != "FeatureCollection":
        raise ValueError("expected a GeoJSON FeatureCollection")
    features = obj.get("features")
    if not isinstance(features, list):
        raise ValueError("FeatureCollection has no 'features' list")
    areas = []
    for i, feat in enumerate(features):
        where = f"feature {i}"
        if not isinstance(feat, dict):
            raise ValueError(f"{where}: not an object")
        props = feat.get("properties") or {}
        for prop in (code_prop, name_prop):
            if not isinstance(props.get(prop), str) or not props[prop]:
                raise ValueError(f"{where}: missing property {prop!r}")
        geom = feat.get("geometry")
        kind = geom.get("type") if isinstance(geom, dict) else None
        coords = geom.get("coordinates") if isinstance(geom, dict) else None
        if kind == "Polygon":
            polys = (_polygon(coords, where),)
        elif kind == "MultiPolygon" and isinstance(coords, list) and coords:
            polys = tuple(_polygon(p, f"{where} polygon {j}") for j, p in enumerate(coords))
        else:
            raise ValueError(f"{where}: unsupported or empty geometry {kind!r}")
        areas.append(Area(props[code_prop], props[name_prop], polys))
    return areas


# ---------------------------------------------------------------- geometry


def _edges(pts: Sequence[Point]) -> Iterable[tuple[Point, Point]]:
    return zip(pts, [*pts[1:], *pts[:1]], strict=True)


def _signed_area(pts: Sequence[Point]) -> float:
    """Shoelace area; positive = clockwise on screen (y points down)."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in _edges(pts)) / 2


def _centroid(poly: Sequence[Sequence[Point]]) -> Point:
    """Area-weighted centroid of one polygon; holes subtract however the rings are wound."""
    ax = ay = total = 0.0
    for ri, ring in enumerate(poly):
        sign = (1 if ri == 0 else -1) * (1 if _signed_area(ring) >= 0 else -1)
        for (x0, y0), (x1, y1) in _edges(ring):
            cross = (x0 * y1 - x1 * y0) * sign
            total, ax, ay = total + cross, ax + (x0 + x1) * cross, ay + (y0 + y1) * cross
    if not total:  # zero-area sliver: the vertex mean is the best we can do
        return sum(p[0] for p in poly[0]) / len(poly[0]), sum(p[1] for p in poly[0]) / len(poly[0])
    return ax / (3 * total), ay / (3 * total)


def _seg_dist(p: Point, a: Point, b: Point) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    L2 = dx * dx + dy * dy
    t = 0.0 if L2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / L2))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def _dp(pts: list[Point], tol: float) -> list[Point]:
    """Douglas-Peucker on an open polyline; iterative so huge rings can't hit recursion limits."""
    keep = [False] * len(pts)
    keep[0] = keep[-1] = True
    stack = [(0, len(pts) - 1)]
    while stack:
        i, j = stack.pop()
        best, idx = -1.0, -1
        for k in range(i + 1, j):
            dist = _seg_dist(pts[k], pts[i], pts[j])
            if dist > best:
                best, idx = dist, k
        if idx > 0 and best > tol:
            keep[idx] = True
            stack += [(i, idx), (idx, j)]
    return [p for p, k in zip(pts, keep, strict=True) if k]


def simplify_ring(ring: Sequence[Point], tolerance: float) -> list[Point]:
    """Simplify a ring (closed or not); returns it open (no repeated last point).

    The ring is split at its first point and the vertex farthest from it, so each half
    is an ordinary polyline and every dropped vertex stays within `tolerance`.
    """
    pts = [p for i, p in enumerate(ring) if i == 0 or p != ring[i - 1]]
    if len(pts) > 1 and pts[0] == pts[-1]:
        pts.pop()
    if len(pts) < 3:
        return pts
    far = max(range(len(pts)), key=lambda k: math.dist(pts[0], pts[k]))
    return _dp(pts[: far + 1], tolerance)[:-1] + _dp(pts[far:] + pts[:1], tolerance)[:-1]


def _r(v: float) -> float:
    return round(v, 1) + 0.0  # + 0.0 turns -0.0 into 0.0 so output is stable


def _num(v: float) -> str:
    s = f"{_r(v):.1f}"
    return s[:-2] if s.endswith(".0") else s


def _clean(pts: Sequence[Point]) -> list[Point]:
    """Round to the output grid and drop the duplicates rounding creates."""
    out: list[Point] = []
    for x, y in pts:
        p = (_r(x), _r(y))
        if not out or p != out[-1]:
            out.append(p)
    while len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


def _make_shape(code: str, name: str, polys: list[list[list[Point]]], tol: float) -> Shape:
    """Simplify projected polygons into a Shape, never losing the area itself."""
    # Largest polygon by outer-ring area: always kept, and it locates the centroid.
    big = max(range(len(polys)), key=lambda i: abs(_signed_area(polys[i][0])))
    rings_out: list[list[Point]] = []
    for pi, poly in enumerate(polys):
        for ri, ring in enumerate(poly):
            pts = _clean(simplify_ring(ring, tol))
            if len(set(pts)) < 3:
                if pi == big and ri == 0:
                    pts = _clean(ring)  # fall back to full detail rather than lose the area
                elif ri == 0:
                    break  # outer ring gone: its holes go with it
                else:
                    continue
            # Outers clockwise, holes anticlockwise: correct under nonzero and evenodd.
            if (_signed_area(pts) < 0) == (ri == 0):
                pts.reverse()
            rings_out.append(pts)
    d = "".join("M" + "L".join(f"{_num(x)},{_num(y)}" for x, y in pts) + "Z" for pts in rings_out)
    xs = [x for pts in rings_out for x, _ in pts]
    ys = [y for pts in rings_out for _, y in pts]
    cx, cy = _centroid(polys[big])
    return Shape(code, name, d, (min(xs), min(ys), max(xs), max(ys)), (_r(cx), _r(cy)))


def _transform(polys: Iterable[Iterable[Iterable[Point]]], fn: Callable[[float, float], Point]) -> list:
    return [[[fn(x, y) for x, y in ring] for ring in poly] for poly in polys]


# ---------------------------------------------------------------- layout


def build_layout(
    areas: Sequence[Area],
    *,
    width: float = 600,
    inset_codes: Iterable[str] = (),
    inset_title: str = "London",
    tolerance: float = 0.4,
) -> Layout:
    """Project, simplify and (optionally) add an enlarged inset; deterministic.

    Equirectangular with x scaled by cos(mid-latitude): at England's size the distortion is
    invisible and it needs no projection library. North is up.
    """
    if not areas:
        raise ValueError("no areas to lay out")
    lats = [lat for a in areas for poly in a.polygons for ring in poly for _, lat in ring]
    lons = [lon for a in areas for poly in a.polygons for ring in poly for lon, _ in ring]
    kx = math.cos(math.radians((min(lats) + max(lats)) / 2))
    x0, x1, top, bottom = min(lons) * kx, max(lons) * kx, max(lats), min(lats)
    margin = width / 60
    scale = (width - 2 * margin) / max(x1 - x0, 1e-9)
    height = (top - bottom) * scale + 2 * margin

    def project(a: Area, dy: float = 0.0) -> list[list[list[Point]]]:
        def xy(lon: float, lat: float) -> Point:
            return margin + (lon * kx - x0) * scale, dy + margin + (top - lat) * scale

        return _transform(a.polygons, xy)

    wanted = set(inset_codes)
    inset_areas = [a for a in areas if a.code in wanted]
    frame, shift, inset_shapes = None, 0.0, {}
    if inset_areas:
        pts = [p for a in inset_areas for poly in project(a) for ring in poly for p in ring]
        ix0, iy0 = min(p[0] for p in pts), min(p[1] for p in pts)
        iw = (max(p[0] for p in pts) - ix0) or 1
        ih = (max(p[1] for p in pts) - iy0) or 1
        fw, pad, title_h = width * 0.36, width * 0.015, width / 30
        k = min((fw - 2 * pad) / iw, (fw - 2 * pad - title_h) / ih)  # frame at most square
        fh = ih * k + 2 * pad + title_h
        frame = (_r(width - margin - fw), _r(margin), _r(width - margin), _r(margin + fh))
        # The top-right corner is North Sea, but Teesside/Yorkshire can poke into the frame:
        # push the main map down (growing the canvas) until the frame covers nothing.
        gap = width / 100
        for poly in (poly for a in areas if a.code not in wanted for poly in project(a)):
            shift = max([shift] + [frame[3] + gap - y for x, y in poly[0] if x >= frame[0] - gap])
        height += shift
        ox, oy = frame[0] + (fw - iw * k) / 2, frame[1] + pad + title_h
        for a in inset_areas:
            polys = _transform(project(a), lambda x, y: (ox + (x - ix0) * k, oy + (y - iy0) * k))
            inset_shapes[a.code] = _make_shape(a.code, a.name, polys, tolerance)
    shapes = {a.code: _make_shape(a.code, a.name, project(a, shift), tolerance) for a in areas}
    return Layout(_r(width), _r(height), shapes, inset_shapes, frame, inset_title)


def bbox_of(layout: Layout, codes: Iterable[str], *, pad: float = 8) -> tuple[float, float, float, float]:
    """Padded union of main-frame bboxes, e.g. to crop a map to a region via view_box."""
    boxes = [layout.shapes[c].bbox for c in codes if c in layout.shapes]
    if not boxes:
        raise ValueError("none of the given codes is in the layout")
    lo = [min(b[i] for b in boxes) - pad for i in (0, 1)]
    hi = [max(b[i] for b in boxes) + pad for i in (2, 3)]
    return _r(lo[0]), _r(lo[1]), _r(hi[0]), _r(hi[1])


# ---------------------------------------------------------------- rendering


def render(
    layout: Layout,
    *,
    title: str,
    description: str = "",
    fills: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
    hrefs: Mapping[str, str] | None = None,
    codes: Iterable[str] | None = None,
    view_box: tuple[float, float, float, float] | None = None,
    highlight: Iterable[str] = (),
    marker: str = "",
    show_inset: bool = True,
    default_fill: str = "#f3f2f1",
    id_prefix: str = "map",
    css_class: str = "app-map",
    defs: str = "",
) -> str:
    """Render SVG markup (escaped, valid XML, deterministic).

    `view_box` is (x0, y0, x1, y1) like bbox_of returns. With `hrefs` the map is
    interactive: no role on <svg> so the links stay reachable; otherwise role="img".
    Strokes are left to CSS (.app-map__area should set vector-effect: non-scaling-stroke).
    `defs` is trusted SVG markup (a <defs> with patterns for fills such as "url(#hatch)").
    `marker`: an area marked with a ring at its centre as well, so that it is found without
    telling colours or outlines apart (drawn where the area is shown: in the inset if it is there).
    """
    fills, labels = fills or {}, labels or {}
    drawn = set(layout.shapes) if codes is None else set(codes) & set(layout.shapes)
    marked = set(highlight)
    vx0, vy0, vx1, vy1 = view_box or (0, 0, layout.width, layout.height)
    frame = layout.inset_frame
    inset = sorted(drawn & set(layout.inset_shapes), key=list(layout.inset_shapes).index)
    # Only draw the inset if it is actually visible, otherwise its areas would have no link.
    visible = (
        frame is not None and vx0 <= frame[0] and vy0 <= frame[1] and frame[2] <= vx1 and frame[3] <= vy1
    )
    use_inset = bool(show_inset and inset and visible)
    e = escape
    pid = e(id_prefix)

    def layer(shapes: dict[str, Shape], order: Iterable[str], hidden: set[str]) -> list[str]:
        """Paths in order, highlighted ones last so their outline is drawn on top."""
        out = []
        for code in sorted(order, key=lambda c: c in marked):  # stable sort keeps the order
            label = e(labels.get(code) or shapes[code].name)
            cls = "app-map__area" + (" app-map__area--highlight" if code in marked else "")
            fill = e(fills.get(code, default_fill))
            item = f'<path class="{cls}" d="{shapes[code].d}" fill="{fill}"><title>{label}</title></path>'
            href = None if code in hidden or not hrefs else hrefs.get(code)
            if href:
                item = f'<a href="{e(href)}" class="app-map__link" aria-label="{label}">{item}</a>'
            out.append(f'<g aria-hidden="true">{item}</g>' if code in hidden else item)
        return out

    role = "" if hrefs is not None else ' role="img"'
    labelled = f"{pid}-title" + (f" {pid}-desc" if description else "")
    vb = " ".join(_num(v) for v in (vx0, vy0, vx1 - vx0, vy1 - vy0))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{e(css_class)}" viewBox="{vb}"{role}'
        f' aria-labelledby="{labelled}" focusable="false">',
        f'<title id="{pid}-title">{e(title)}</title>',
    ]
    if description:
        parts.append(f'<desc id="{pid}-desc">{e(description)}</desc>')
    if defs:
        parts.append(defs)
    # With the inset shown, the small main-frame copies of its areas are decoration: not
    # links and hidden from assistive tech, so each area is exactly one link / tab stop.
    parts += layer(
        layout.shapes, [c for c in layout.shapes if c in drawn], set(inset) if use_inset else set()
    )
    if use_inset and frame:
        fx0, fy0, fx1, fy1 = frame
        size = layout.width / 50
        parts.append(
            f'<g class="app-map__inset"><rect class="app-map__inset-frame" x="{_num(fx0)}"'
            f' y="{_num(fy0)}" width="{_num(fx1 - fx0)}" height="{_num(fy1 - fy0)}"'
            f' fill="none"/><text class="app-map__inset-label" x="{_num(fx0 + size / 2)}"'
            f' y="{_num(fy0 + size * 1.4)}" font-size="{_num(size)}" aria-hidden="true">'
            f"{e(layout.inset_title)}</text>"
        )
        parts += layer(layout.inset_shapes, inset, set())
        parts.append("</g>")
    if marker in drawn:
        shape = layout.inset_shapes[marker] if use_inset and marker in inset else layout.shapes[marker]
        parts.append(_ring_marker(shape, layout.width))
    parts.append("</svg>")
    return "".join(parts)


def _ring_marker(shape: Shape, width: float) -> str:
    """A black ring with a white halo around the area's centre, on top of every area; decoration only
    (the area's link names it), so hidden from assistive tech and from the pointer. Around a small area
    (a London borough) the ring encircles it, leaving its colour visible; on a large one it sits inside."""
    x0, y0, x1, y1 = shape.bbox
    radius = min(max(math.hypot(x1 - x0, y1 - y0) * 0.4, width / 120), width / 40)
    x, y = (_num(v) for v in shape.centroid)
    ring = f'<circle cx="{x}" cy="{y}" r="{_num(radius)}" fill="none" vector-effect="non-scaling-stroke"'
    return (
        f'<g class="app-map__marker" aria-hidden="true" pointer-events="none">'
        f'{ring} stroke="#ffffff" stroke-width="6"/>{ring} stroke="#0b0c0c" stroke-width="3"/></g>'
    )
