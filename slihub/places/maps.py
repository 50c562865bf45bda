"""Maps of authorities: the geometry is projected and simplified once, pages only colour it."""

from functools import lru_cache

from slihub.places.models import Authority, AuthorityType, Boundary, SourceFile
from slihub.stats import svgmap

BOUNDARY_FILE = "derived_ctyua_may2023_england_buc_wgs84.geojson"

# Paul Tol's "muted" scheme: distinguishable with the common colour-vision deficiencies.
REGION_COLOURS = (
    "#CC6677",
    "#332288",
    "#DDCC77",
    "#117733",
    "#88CCEE",
    "#882255",
    "#44AA99",
    "#999933",
    "#AA4499",
)
# Okabe and Ito's colour-blind-safe palette.
TYPE_COLOURS = {
    AuthorityType.INNER_LONDON: "#D55E00",
    AuthorityType.OUTER_LONDON: "#E69F00",
    AuthorityType.METROPOLITAN: "#0072B2",
    AuthorityType.UNITARY: "#56B4E9",
    AuthorityType.COUNTY: "#009E73",
}
HIGHLIGHT, BACKGROUND = "#1d70b8", "#f3f2f1"


def layout() -> svgmap.Layout | None:
    """England's layout with a London inset, rebuilt only when a new boundary file is loaded.

    None while no boundaries are loaded: pages then show their tables without a map."""
    version = SourceFile.objects.filter(filename=BOUNDARY_FILE).values_list("sha256", flat=True).first()
    return _layout(version)


@lru_cache(maxsize=2)
def _layout(version: str | None) -> svgmap.Layout | None:
    rows = Boundary.objects.select_related("authority").only(
        "geometry", "authority__ons_code", "authority__code", "authority__name"
    )
    if not rows.exists():
        return None
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": b.geometry,
                "properties": {"code": b.authority.code, "name": b.authority.name},
            }
            for b in rows.order_by("authority__code")
        ],
    }
    # Keyed by DfE code, the hub's identifier, so pages need no ONS lookup.
    areas = svgmap.read_geojson(collection, code_prop="code", name_prop="name")
    london = [b.authority.code for b in rows if b.authority.ons_code.startswith("E09")]
    return svgmap.build_layout(areas, inset_codes=london, inset_title="London")


def legend(colours: dict[str, str]) -> list[dict]:
    return [{"label": label, "colour": colour} for label, colour in colours.items()]


def region_colouring(authorities: list[Authority]) -> tuple[dict[str, str], list[dict]]:
    """Fill per authority code, and the legend, colouring by English region."""
    names = sorted({a.region.code: a.region.name for a in authorities}.items())
    colour_of = {code: REGION_COLOURS[i % len(REGION_COLOURS)] for i, (code, _) in enumerate(names)}
    fills = {a.code: colour_of[a.region.code] for a in authorities}
    return fills, legend({name: colour_of[code] for code, name in names})


def type_colouring(authorities: list[Authority]) -> tuple[dict[str, str], list[dict]]:
    fills = {a.code: TYPE_COLOURS[a.la_type] for a in authorities}
    present = {a.la_type for a in authorities}
    return fills, legend({t.label: TYPE_COLOURS[t] for t in AuthorityType if t in present})


def national_map(authorities: list[Authority], colouring: str) -> tuple[str, list[dict]]:
    colour = region_colouring if colouring == "region" else type_colouring
    fills, key = colour(authorities)
    geometry = layout()
    if geometry is None:
        return "", key
    labels = {a.code: f"{a.name}: {a.region.name}, {a.get_la_type_display()}" for a in authorities}
    svg = svgmap.render(
        geometry,
        title=f"Map of England's {len(authorities)} children's services authorities by {colouring}",
        description="Each area links to the authority's page. London's boroughs are shown enlarged in the "
        "inset. The table gives the same information.",
        fills=fills,
        labels=labels,
        hrefs={a.code: a.get_absolute_url() for a in authorities},
        id_prefix="national",
    )
    return svg, key


def region_map(region_name: str, authorities: list[Authority]) -> str:
    """The region's authorities, cropped to the region, each linking to its page."""
    geometry = layout()
    codes = [a.code for a in authorities if geometry is not None and a.code in geometry.shapes]
    if not codes:
        return ""  # no authority of the region has a boundary: the table alone says it
    return svgmap.render(
        geometry,
        title=f"Map of the children's services authorities in {region_name}",
        description="Each area links to the authority's page; the table lists the same authorities.",
        fills={code: HIGHLIGHT for code in codes},
        labels={a.code: a.name for a in authorities},
        hrefs={a.code: a.get_absolute_url() for a in authorities},
        codes=codes,
        view_box=svgmap.bbox_of(geometry, codes),
        show_inset=False,
        id_prefix="region",
    )


def locator_map(authority: Authority) -> str | None:
    """England with the authority picked out, as one image; None for a former authority (no boundary)."""
    geometry = layout()
    if geometry is None or authority.code not in geometry.shapes:
        return None
    return svgmap.render(
        geometry,
        title=f"Location of {authority.name} in England",
        fills={authority.code: HIGHLIGHT},
        highlight=[authority.code],
        default_fill=BACKGROUND,
        id_prefix="locator",
        css_class="app-map app-map--small",
        show_inset=authority.ons_code.startswith("E09"),
    )
