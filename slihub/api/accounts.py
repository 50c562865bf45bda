"""Private records: signed-in users only, each seeing what their memberships allow."""

from ninja import Router
from ninja.pagination import paginate
from ninja.security import django_auth

from slihub.accounts import selectors as account_selectors
from slihub.api.pagination import Pagination
from slihub.api.schemas import INVALID, NOT_FOUND, SIGNED_IN, Code, ContactOut
from slihub.places import selectors

router = Router(tags=["councils (private)"], auth=django_auth)


@router.get(
    "/authorities/{code}/contacts",
    response={200: list[ContactOut], **SIGNED_IN, **NOT_FOUND, **INVALID},
    summary="A council's private contacts",
)
@paginate(Pagination)
def list_contacts(request, code: Code):
    """Visible to the council's members, its region's alliance coordinators and national admins."""
    return account_selectors.contacts_for(request.auth, selectors.authority(code))
