from datetime import date

from ninja import Schema

from slihub.places import selectors


class RegionRef(Schema):
    code: str
    name: str


class AuthorityRef(Schema):
    code: str
    ons_code: str
    name: str


class AuthorityOut(Schema):
    code: str
    ons_code: str
    name: str
    type: str
    type_name: str
    region: RegionRef
    sub_region: RegionRef | None
    ofsted_region: str
    is_current: bool
    ended_on: date | None
    url: str

    @staticmethod
    def resolve_type(obj):
        return obj.la_type

    @staticmethod
    def resolve_type_name(obj):
        return obj.get_la_type_display()

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()


class SuccessionOut(Schema):
    authority: AuthorityRef
    effective: date


class AuthorityDetailOut(AuthorityOut):
    former_ons_codes: list[str]
    predecessors: list[SuccessionOut]
    successors: list[SuccessionOut]

    @staticmethod
    def resolve_former_ons_codes(obj):
        return [former.ons_code for former in obj.former_ons_codes.all()]

    @staticmethod
    def resolve_predecessors(obj):
        return [{"authority": s.predecessor, "effective": s.effective} for s in selectors.successions(obj)[0]]

    @staticmethod
    def resolve_successors(obj):
        return [{"authority": s.successor, "effective": s.effective} for s in selectors.successions(obj)[1]]


class NeighbourOut(Schema):
    model: str
    rank: int
    closeness: str
    neighbour: AuthorityRef


class RegionOut(Schema):
    code: str
    name: str
    slug: str
    authority_count: int


class ContactOut(Schema):
    id: int
    name: str
    job_title: str
    email: str
    phone: str
    notes: str


class ErrorOut(Schema):
    detail: str
