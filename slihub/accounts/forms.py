from django import forms
from django.contrib.auth.forms import AuthenticationForm

from slihub.accounts.models import Contact
from slihub.govuk import GovukFormMixin


class LoginForm(GovukFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is inactive. Ask a national admin to reactivate it.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "spellcheck": "false"})
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"


class ContactForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "job_title", "email", "phone", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"phone": "For example 020 7946 0000", "notes": "What to contact them about"}
        error_messages = {
            "name": {"required": "Enter the contact's name"},
            "job_title": {"required": "Enter the contact's job title"},
            "email": {
                "required": "Enter an email address",
                "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "type": "tel"})
        self.fields["name"].widget.attrs["autocomplete"] = "name"
