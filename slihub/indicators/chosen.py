"""'My authority' on the progress map: the authority a visitor chose (``?la=``) or, signed in, their own
council's, highlighted on the map and in the table; and the table's filter (``?show=``) to a region or
to that authority's statistical neighbours.

Both are GET parameters so that a filtered view can be shared by link. A signed-in user's page is
never served from or stored in the page cache (it has a session cookie), and ``la`` and ``show`` are
part of the cache key of the public's pages, so one visitor's choice never shows on another's page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms

from slihub.govuk import GovukFormMixin
from slihub.indicators.selectors import MapTable
from slihub.places import selectors as places
from slihub.places.models import Authority

ALL, NEIGHBOURS = "", "neighbours"
PARAMS = ("la", "show")


@dataclass(frozen=True)
class Chosen:
    authority: Authority
    label: str  # 'Your authority' (signed in, their council) or 'Chosen authority' (?la=)


def own_authority(user) -> Authority | None:
    """A signed-in council user's current authority (the first by name if they belong to several);
    read through the memberships' reverse relation, as indicators sit below accounts."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Authority.objects.current()
        .filter(memberships__user=user)
        .select_related("region")
        .order_by("name")
        .first()
    )


class TableFilterForm(GovukFormMixin, forms.Form):
    la = forms.ChoiceField(
        label="Authority to highlight",
        required=False,
        error_messages={"invalid_choice": "Choose an authority from the list"},
    )
    show = forms.ChoiceField(
        label="Show in the table",
        required=False,
        error_messages={"invalid_choice": "Choose every authority, the neighbours or a region from the list"},
    )

    def __init__(self, data, *, table: MapTable, own: Authority | None):
        super().__init__(data)
        authorities = [row.authority for row in table.rows]
        regions = sorted({(a.region.name, a.region.code) for a in authorities})
        self.by_code = {a.code: a for a in authorities}
        self.own = own
        self.fields["la"].choices = [("", "Your authority" if own else "None")] + [
            (a.code, a.name) for a in authorities
        ]
        self.fields["show"].choices = [
            (ALL, "Every authority"),
            (NEIGHBOURS, "The authority's statistical neighbours"),
            *((code, name) for name, code in regions),
        ]
        if own:
            self.fields["la"].help_text = f"Your authority, {own.name}, unless you choose another"

    def clean(self):
        data = super().clean()
        if data.get("show") == NEIGHBOURS and not (data.get("la") or self.own) and "la" not in self.errors:
            self.add_error("la", "Choose an authority to show its statistical neighbours")
        return data

    def chosen(self) -> Chosen | None:
        code = self.cleaned_data.get("la", "") if self.is_valid() else ""
        if code:
            own = self.own and self.own.code == code
            return Chosen(self.by_code[code], "Your authority" if own else "Chosen authority")
        return Chosen(self.own, "Your authority") if self.own else None

    def shown(self) -> str:
        return self.cleaned_data.get("show", ALL) if self.is_valid() else ALL


def table_filter(request, table: MapTable) -> TableFilterForm:
    """The map's filter form bound to the request's parameters (no query unless signed in)."""
    data = {name: request.GET.get(name, "") for name in PARAMS}
    form = TableFilterForm(data, table=table, own=own_authority(request.user))
    form.is_valid()
    return form


def filter_rows(rows: list, form: TableFilterForm, chosen: Chosen | None) -> tuple[list, str]:
    """The rows the table shows, and what it shows in words ('' for every authority)."""
    show = form.shown()
    if show == NEIGHBOURS and chosen:
        codes = {link.neighbour.code for link in places.neighbours(chosen.authority)} | {
            chosen.authority.code
        }
        return [r for r in rows if r.authority.code in codes], (
            f"{chosen.authority.name} and its statistical neighbours"
        )
    if show and show != NEIGHBOURS:
        kept = [r for r in rows if r.authority.region.code == show]
        name = kept[0].authority.region.name if kept else show
        return kept, f"authorities in {name}"
    return rows, ""
