from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from slihub.accounts import selectors, services
from slihub.accounts.forms import ContactForm, LoginForm
from slihub.accounts.models import Contact
from slihub.places.selectors import authority as authority_by_code


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
def contact_list(request, code):
    authority = authority_by_code(code)
    return render(
        request,
        "accounts/contact_list.html",
        {
            "authority": authority,
            "contacts": selectors.contacts_for(request.user, authority),
            "can_manage": selectors.can_manage_contacts(request.user, authority),
        },
    )


@login_required
def contact_add(request, code):
    authority = authority_by_code(code)
    # Refuse before showing the form, not only on submit.
    selectors.require_manage_contacts(request.user, authority)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        contact = services.add_contact(user=request.user, authority=authority, **form.cleaned_data)
        messages.success(request, f"{contact.name} was added to {authority.name}'s contacts.")
        return redirect("contact-list", code=authority.code)
    return render(request, "accounts/contact_form.html", {"authority": authority, "form": form})


@login_required
@require_POST
def contact_delete(request, code, contact_id):
    authority = authority_by_code(code)
    # Refuse by the authority first, as contact_add does: 403 for those who may not manage it.
    selectors.require_manage_contacts(request.user, authority)
    contact = get_object_or_404(Contact.objects.visible_to(request.user), pk=contact_id, authority=authority)
    services.delete_contact(user=request.user, contact=contact)
    messages.success(request, f"{contact.name} was removed from {authority.name}'s contacts.")
    return redirect("contact-list", code=authority.code)
