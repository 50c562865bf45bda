"""Saved comparator groups: name a comparison, share it by link, rename or delete it (the owner only).
Thin views over comparator_groups; a group's page is the compare page for its authorities and
indicators (indicators.compare_views)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from slihub.accounts import comparator_groups as groups
from slihub.govuk import GovukFormMixin
from slihub.indicators.compare_views import Choice, comparison_context


class GroupNameForm(GovukFormMixin, forms.Form):
    name = forms.CharField(
        label="Name of the group",
        max_length=groups.MAX_NAME,
        help_text="For example, 'Camden and its statistical neighbours'. Anyone with the link sees it.",
        error_messages={"required": "Enter a name for the group"},
    )

    def clean_name(self):
        try:
            return groups.clean_name(self.cleaned_data["name"])
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None


def _group_choice(group) -> Choice:
    return Choice(group.authority_codes, [], group.indicator_codes)


@login_required
def group_new(request):
    """/compare/groups/new/?la=...&indicator=...: name the comparison to save it."""
    choice = Choice.of(request)
    form = GroupNameForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and choice.authorities:
        group = groups.create_group(
            user=request.user,
            name=form.cleaned_data["name"],
            authorities=choice.authorities,
            indicators=[] if choice.headline else choice.indicators,
        )
        return redirect("compare-group", token=group.token)
    return render(
        request,
        "accounts/comparator_group_form.html",
        {"form": form, "choice": choice, "back_url": reverse("compare") + choice.query, "group": None},
        status=400 if request.method == "POST" else 200,
    )


def group_detail(request, token):
    """/compare/groups/<token>/: the saved comparison, for anyone with the link."""
    group = groups.by_token(token)
    context = comparison_context(_group_choice(group), group=group)
    context["is_owner"] = group.owner_id == getattr(request.user, "id", None)
    context["share_url"] = request.build_absolute_uri(reverse("compare-group", args=[group.token]))
    response = render(request, "indicators/compare.html", context)
    response["X-Robots-Tag"] = "noindex"  # shared by link, not published: search engines leave it out
    return response


@login_required
def group_list(request):
    """/compare/groups/: the signed-in user's comparator groups."""
    return render(request, "accounts/comparator_groups.html", {"groups": groups.groups_of(request.user)})


@login_required
def group_rename(request, token):
    group = groups.owned_by_token(request.user, token)
    form = GroupNameForm(request.POST or None, initial={"name": group.name})
    if request.method == "POST" and form.is_valid():
        groups.rename_group(user=request.user, group=group, name=form.cleaned_data["name"])
        return redirect("compare-group", token=group.token)
    return render(
        request,
        "accounts/comparator_group_form.html",
        {"form": form, "group": group, "back_url": reverse("compare-group", args=[group.token])},
        status=400 if form.errors else 200,
    )


@login_required
def group_delete(request, token):
    group = groups.owned_by_token(request.user, token)
    if request.method == "POST":
        groups.delete_group(user=request.user, group=group)
        return redirect("compare-groups")
    return render(request, "accounts/comparator_group_delete.html", {"group": group})
