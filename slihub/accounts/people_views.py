"""The people pages: national admins manage everyone (/people/), a council's admins its own people
(/authorities/<code>/people/). Thin: rules are in accounts.rules, writes in accounts.people."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from slihub.accounts import invitations, people, rules
from slihub.accounts import people_selectors as selectors
from slihub.accounts.people_forms import InviteForm, PeopleSearchForm, RoleForm
from slihub.places.models import Authority, Region
from slihub.places.selectors import authority as authority_by_code

PAGE_SIZE = 50
NOT_SENT = "The email could not be sent, so nothing was saved. Try again later, or ask the hub's operators."


def _refusal(form, error: ValidationError) -> None:
    """A service's refusal shown on its form: on the named fields, else above the form."""
    if hasattr(error, "error_dict"):
        for name, problems in error.error_dict.items():
            field = name if name in form.fields else None
            for problem in problems:
                form.add_error(field, problem.message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _back(request, fallback: str) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, {request.get_host()}, require_https=request.is_secure()):
        return wanted
    return fallback


def _home_for(user, authority: Authority | None) -> str:
    """Where a person's list of people is: national admins', or the council's."""
    if rules.is_national(user) or authority is None:
        return reverse("people-list")
    return reverse("council-people", kwargs={"code": authority.code})


# ------------------------------------------------------------------------------------ national admins


def _filters(form: PeopleSearchForm) -> tuple[selectors.PeopleFilters, list[str]]:
    filters, problems = selectors.PeopleFilters(), []
    if not form.is_valid():
        return filters, ["The filters could not be read, so every person is shown."]
    data = form.cleaned_data
    filters.query, filters.role, filters.active = data["q"], data["role"], data["active"]
    if data["council"]:
        filters.council = Authority.objects.filter(code=data["council"]).first()
        if filters.council is None:
            problems.append(f"There is no council with the code {data['council']}.")
    if data["region"]:
        filters.region = Region.objects.filter(slug=data["region"], parent=None).first()
        if filters.region is None:
            problems.append("There is no such region.")
    return filters, problems


@login_required
def people_list(request):
    selectors.require_national(request.user)
    form = PeopleSearchForm(request.GET or None)
    filters, problems = _filters(form) if request.GET else (selectors.PeopleFilters(), [])
    found = selectors.search_people(request.user, filters)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/people/list.html",
        {
            "form": form,
            "filters": filters,
            "problems": problems,
            "page": page,
            "query": query.urlencode(),
            "councils": Authority.objects.filter(is_current=True).order_by("name"),
            "regions": Region.objects.filter(parent=None).order_by("name"),
            "invitations": selectors.pending_invitations(request.user),
        },
    )


def _invite(request, *, authority=None):
    form = InviteForm(request.POST or None, actor=request.user, authority=authority)
    if request.method == "POST" and form.is_valid():
        where_to, region = form.place()
        try:
            invitation = people.invite(
                actor=request.user,
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                role=form.cleaned_data["role"],
                authority=where_to,
                region=region,
            )
        except ValidationError as error:
            _refusal(form, error)
        except invitations.NotSent:
            form.add_error(None, NOT_SENT)
        else:
            messages.success(
                request,
                f"An invitation was sent to {invitation.email}. "
                f"The link works until {invitations.in_words(invitation.expires_at)}.",
            )
            return redirect(_home_for(request.user, authority))
    return render(
        request,
        "accounts/people/invite.html",
        {"form": form, "authority": authority, "days": invitations.days_valid()},
    )


@login_required
def person_invite(request):
    selectors.require_national(request.user)
    return _invite(request)


@login_required
def person_detail(request, person_id):
    person = selectors.person(request.user, person_id)
    return render(
        request,
        "accounts/people/person.html",
        {"person": person, "memberships": person.memberships.all(), "is_me": person.pk == request.user.pk},
    )


@login_required
def person_role_add(request, person_id):
    person = selectors.person(request.user, person_id)
    form = RoleForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        authority, region = form.place()
        try:
            membership = people.add_membership(
                actor=request.user,
                person=person,
                role=form.cleaned_data["role"],
                authority=authority,
                region=region,
            )
        except ValidationError as error:
            _refusal(form, error)
        else:
            messages.success(request, f"{person} is now {_role_in_words(membership)}.")
            return redirect("person-detail", person_id=person.pk)
    return render(request, "accounts/people/role_form.html", {"form": form, "person": person, "adding": True})


@login_required
def person_active(request, person_id, action):
    """Deactivate (with a confirmation page) or reactivate an account."""
    person = selectors.person(request.user, person_id)
    active = action == "reactivate"
    error = None
    if request.method == "POST":
        try:
            people.set_active(actor=request.user, person=person, active=active)
        except ValidationError as refusal:
            error = refusal.messages[0]
        else:
            done = (
                "reactivated: they can sign in again" if active else "deactivated: they can no longer sign in"
            )
            messages.success(request, f"{person}'s account was {done}.")
            return redirect("person-detail", person_id=person.pk)
    elif active:
        return redirect("person-detail", person_id=person.pk)  # reactivating needs no confirmation page
    return render(
        request,
        "accounts/people/deactivate.html",
        {"person": person, "errors": [("", error)] if error else [], "is_me": person.pk == request.user.pk},
    )


# ------------------------------------------------------------------------------- a council's admins


@login_required
def council_people(request, code):
    authority = authority_by_code(code)
    memberships = list(selectors.council_memberships(request.user, authority))
    for membership in memberships:
        membership.changeable = rules.may_change(request.user, membership)
    return render(
        request,
        "accounts/people/council.html",
        {
            "authority": authority,
            "memberships": memberships,
            "invitations": selectors.pending_invitations(request.user, authority),
            "national": rules.is_national(request.user),
            "grantable": rules.grantable_roles(request.user, authority),
        },
    )


@login_required
def council_invite(request, code):
    authority = authority_by_code(code)
    selectors.require_council_manager(request.user, authority)
    return _invite(request, authority=authority)


# --------------------------------------------------------------------------- memberships and invitations


def _role_in_words(membership) -> str:
    place = membership.authority or membership.region
    role = membership.get_role_display().lower()
    return f"{role} for {place.name}" if place else f"a {role}"


@login_required
def membership_change(request, membership_id):
    membership = selectors.membership_for(request.user, membership_id)
    if not rules.may_change(request.user, membership):
        raise rules_refusal(membership)
    initial = {"role": membership.role, "authority": membership.authority, "region": membership.region}
    national = rules.is_national(request.user)
    form = RoleForm(
        request.POST or None,
        initial=initial,
        actor=request.user,
        authority=None if national else membership.authority,
    )
    back = _back(request, _person_or_council(request.user, membership))
    if request.method == "POST" and form.is_valid():
        authority, region = form.place()
        try:
            people.change_membership(
                actor=request.user,
                membership=membership,
                role=form.cleaned_data["role"],
                authority=authority,
                region=region,
            )
        except ValidationError as error:
            _refusal(form, error)
        else:
            messages.success(request, f"{membership.user} is now {_role_in_words(membership)}.")
            return redirect(back)
    return render(
        request,
        "accounts/people/role_form.html",
        {"form": form, "person": membership.user, "membership": membership, "back": back},
    )


def rules_refusal(membership):
    return PermissionDenied(
        f"Only a national admin can change the role of a {membership.get_role_display().lower()}."
    )


def _person_or_council(user, membership) -> str:
    if rules.is_national(user):
        return reverse("person-detail", kwargs={"person_id": membership.user_id})
    return reverse("council-people", kwargs={"code": membership.authority.code})


@login_required
def membership_remove(request, membership_id):
    membership = selectors.membership_for(request.user, membership_id)
    if not rules.may_change(request.user, membership):
        raise rules_refusal(membership)
    back = _back(request, _person_or_council(request.user, membership))
    error = None
    if request.method == "POST":
        try:
            people.remove_membership(actor=request.user, membership=membership)
        except ValidationError as refusal:
            error = refusal.messages[0]
        else:
            messages.success(request, f"{membership.user} is no longer {_role_in_words(membership)}.")
            if hasattr(request.user, "_slihub_scope"):
                del request.user._slihub_scope  # their own roles may just have changed
            if membership.user_id == request.user.pk and not rules.manages_council(
                request.user, membership.authority
            ):
                return redirect("home")  # they removed their own access to this page
            return redirect(back)
    return render(
        request,
        "accounts/people/remove.html",
        {
            "membership": membership,
            "what": _role_in_words(membership),
            "back": back,
            "errors": [("", error)] if error else [],
            "is_me": membership.user_id == request.user.pk,
        },
    )


@login_required
@require_POST
def invitation_resend(request, invitation_id):
    invitation = selectors.invitation_for(request.user, invitation_id)
    if not rules.may_manage_invitation(request.user, invitation):
        raise PermissionDenied(
            f"Only a national admin can manage an invitation to be a {invitation.get_role_display().lower()}."
        )
    back = _back(request, _home_for(request.user, invitation.authority))
    try:
        people.resend(actor=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    except invitations.NotSent:
        messages.error(request, NOT_SENT)
    else:
        messages.success(
            request,
            f"The invitation was sent to {invitation.email} again. The earlier link no longer works; "
            f"the new one works until {invitations.in_words(invitation.expires_at)}.",
        )
    return redirect(back)


@login_required
def invitation_withdraw(request, invitation_id):
    invitation = selectors.invitation_for(request.user, invitation_id)
    if not rules.may_manage_invitation(request.user, invitation):
        raise PermissionDenied(
            f"Only a national admin can manage an invitation to be a {invitation.get_role_display().lower()}."
        )
    back = _back(request, _home_for(request.user, invitation.authority))
    if request.method == "POST":
        try:
            people.withdraw(actor=request.user, invitation=invitation)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request, f"The invitation to {invitation.email} was withdrawn: its link no longer works."
            )
        return redirect(back)
    return render(
        request,
        "accounts/people/withdraw.html",
        {"invitation": invitation, "what": invitations.as_phrase(invitation), "back": back},
    )
