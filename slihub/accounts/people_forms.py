"""Forms of the people pages, invitations and password reset, in GOV.UK's words (never Django's)."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from slihub.accounts import rules
from slihub.accounts.models import Role
from slihub.govuk import GovukFormMixin
from slihub.places.models import Authority, Region

EMAIL_ERRORS = {
    "required": "Enter an email address",
    "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
    "max_length": "Email address must be 254 characters or fewer",
}

#: the password rules' messages (settings.AUTH_PASSWORD_VALIDATORS), by the validators' error codes
PASSWORD_MESSAGES = {
    "password_too_short": "Password must be {min_length} characters or more",
    "password_too_similar": "Password must not be like your name, username or email address",
    "password_too_common": "Password is too common: choose one that is harder to guess",
    "password_entirely_numeric": "Password must include a letter or a symbol, not only numbers",
}


def password_problems(password: str, user) -> list[str]:
    """The password rules' objections, in plain words."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        messages = []
        for item in error.error_list:
            template = PASSWORD_MESSAGES.get(item.code)
            messages.append(template.format(**(item.params or {})) if template else " ".join(item.messages))
        return messages
    return []


def _role_choices(roles) -> list[tuple[str, str]]:
    return [(role, Role(role).label) for role in roles]


class CouncilChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class PersonDetailsMixin(forms.Form):
    email = forms.EmailField(label="Email address", max_length=254, error_messages=EMAIL_ERRORS)
    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        required=False,
        help_text="They can change it when they accept",
        error_messages={"max_length": "Full name must be 150 characters or fewer"},
    )


class RoleForm(GovukFormMixin, forms.Form):
    """A role and, for national admins, where it applies."""

    role = forms.ChoiceField(
        label="Role",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a role", "invalid_choice": "Choose one of the roles listed"},
    )
    authority = CouncilChoice(
        label="Council",
        queryset=Authority.objects.none(),
        required=False,
        help_text="For council members, council admins, directors, chief executives and lead members",
        empty_label="Choose a council",
        error_messages={"invalid_choice": "Choose a council from the list"},
    )
    region = CouncilChoice(
        label="Region",
        queryset=Region.objects.none(),
        required=False,
        help_text="For alliance coordinators",
        empty_label="Choose a region",
        error_messages={"invalid_choice": "Choose a region from the list"},
    )

    def __init__(self, *args, actor, authority=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed_authority = authority
        self.fields["role"].choices = _role_choices(rules.grantable_roles(actor, authority))
        if authority is not None or not rules.is_national(actor):
            del self.fields["authority"], self.fields["region"]
        else:
            self.fields["authority"].queryset = Authority.objects.filter(is_current=True).order_by("name")
            self.fields["region"].queryset = Region.objects.filter(parent=None).order_by("name")

    def role_options(self) -> list[tuple[str, str, str]]:
        """(value, label, what the role may do) for each role offered."""
        return [
            (value, label, rules.ROLE_HINTS.get(value, "")) for value, label in self.fields["role"].choices
        ]

    def place(self) -> tuple:
        """(authority, region) the role applies to."""
        if self.fixed_authority is not None:
            return self.fixed_authority, None
        data = self.cleaned_data
        return data.get("authority"), data.get("region")


class InviteForm(RoleForm):
    email = PersonDetailsMixin.base_fields["email"]
    full_name = PersonDetailsMixin.base_fields["full_name"]

    field_order = ["email", "full_name", "role", "authority", "region"]


class AcceptForm(GovukFormMixin, forms.Form):
    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        error_messages={
            "required": "Enter your full name",
            "max_length": "Full name must be 150 characters or fewer",
        },
    )
    password1 = forms.CharField(
        label="Create a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters, not only numbers, and not like your name or email address",
        error_messages={"required": "Enter a password"},
    )
    password2 = forms.CharField(
        label="Confirm your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter your password again"},
    )

    def __init__(self, *args, user_for_checks=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user_for_checks = user_for_checks
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "Enter the same password in both boxes")
        elif first:
            if self.user_for_checks is not None and data.get("full_name"):
                self.user_for_checks.full_name = data["full_name"]
            for problem in password_problems(first, self.user_for_checks):
                self.add_error("password1", problem)
        return data


class PasswordResetForm(GovukFormMixin, auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages=EMAIL_ERRORS,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


class SetPasswordForm(GovukFormMixin, auth_forms.SetPasswordForm):
    error_messages = {"password_mismatch": "Enter the same password in both boxes"}
    # declared here, not relabelled in __init__: GovukFormMixin has made the bound fields by then
    new_password1 = forms.CharField(
        label="New password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=AcceptForm.base_fields["password1"].help_text,
        error_messages={"required": "Enter a new password"},
    )
    new_password2 = forms.CharField(
        label="Confirm your new password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter your new password again"},
    )

    def clean(self):
        # Django's own checks word their errors its way: ours, by the validators' codes.
        first = self.cleaned_data.get("new_password1")
        second = self.cleaned_data.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", self.error_messages["password_mismatch"])
        elif first:
            for problem in password_problems(first, self.user):
                self.add_error("new_password1", problem)
        return self.cleaned_data


class PeopleSearchForm(forms.Form):
    """The filters of the list of people (GET); a bad value is ignored with a message, never a 500."""

    q = forms.CharField(label="Name, email or username", required=False, max_length=100)
    role = forms.ChoiceField(label="Role", required=False)
    council = forms.CharField(required=False, max_length=10)
    region = forms.CharField(required=False, max_length=80)
    active = forms.ChoiceField(
        label="Account", required=False, choices=[("", "Any"), ("yes", "Active"), ("no", "Deactivated")]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", "Any role"), *Role.choices]
