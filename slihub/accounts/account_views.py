"""Pages reached from an email: accepting an invitation, and resetting a forgotten password (Django's
PasswordResetView family, in GOV.UK's words)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from slihub.accounts import invitations
from slihub.accounts.models import User
from slihub.accounts.people_forms import AcceptForm, PasswordResetForm, SetPasswordForm

PROBLEMS = {
    "unknown": "This link does not work. Check that you copied the whole link from the email.",
    "expired": "This invitation has expired.",
    "accepted": "This invitation has been used already.",
    "withdrawn": "This invitation has been withdrawn.",
}


def duration_in_words(seconds: int) -> str:
    """'3 days', '24 hours', '1 hour', '30 minutes': how long a link works."""
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size and seconds % size == 0 and not (unit == "day" and seconds == 86400):
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds // 60} minutes" if seconds >= 60 else f"{seconds} seconds"


@never_cache
@sensitive_post_parameters("password1", "password2")
def invitation_accept(request, token):
    found = invitations.find(token)
    if found.problem:
        return render(
            request,
            "accounts/people/invitation_problem.html",
            {"problem": found.problem, "message": PROBLEMS[found.problem], "invitation": found.invitation},
            status=410 if found.problem != "unknown" else 404,
        )
    invitation = found.invitation
    draft = User(username=invitation.email, email=invitation.email)  # for the password rules' checks
    form = AcceptForm(
        request.POST or None, initial={"full_name": invitation.full_name}, user_for_checks=draft
    )
    if request.method == "POST" and form.is_valid():
        try:
            invitations.accept(
                token=token, full_name=form.cleaned_data["full_name"], password=form.cleaned_data["password1"]
            )
        except ValidationError as error:
            form.add_error(None, error.messages[0])
        else:
            messages.success(
                request,
                f"Your account is ready. Sign in with your email address, {invitation.email}, "
                "as your username.",
            )
            return redirect("login")
    return render(
        request,
        "accounts/people/accept.html",
        {
            "form": form,
            "invitation": invitation,
            "what": invitations.as_phrase(invitation),
            "until": invitations.in_words(invitation.expires_at),
        },
    )


def _reset_valid_for() -> str:
    return duration_in_words(int(settings.PASSWORD_RESET_TIMEOUT))


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/registration/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("password-reset-sent")

    def form_valid(self, form):
        # Links in emails point at the hub's own address (settings.SITE_URL), never at the request's Host.
        self.extra_email_context = {"site_url": settings.SITE_URL, "valid_for": _reset_valid_for()}
        return super().form_valid(form)


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/registration/password_reset_sent.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "valid_for": _reset_valid_for()}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "accounts/registration/password_reset_confirm.html"
    success_url = reverse_lazy("password-reset-complete")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "valid_for": _reset_valid_for()}


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/registration/password_reset_complete.html"
