"""Addresses of the people pages, invitations and password reset (included at the site's root)."""

from django.urls import path

from slihub.accounts import account_views
from slihub.accounts import people_views as views

urlpatterns = [
    path("people/", views.people_list, name="people-list"),
    path("people/invite/", views.person_invite, name="person-invite"),
    path("people/<int:person_id>/", views.person_detail, name="person-detail"),
    path("people/<int:person_id>/roles/add/", views.person_role_add, name="person-role-add"),
    path(
        "people/<int:person_id>/deactivate/",
        views.person_active,
        {"action": "deactivate"},
        name="person-deactivate",
    ),
    path(
        "people/<int:person_id>/reactivate/",
        views.person_active,
        {"action": "reactivate"},
        name="person-reactivate",
    ),
    path("people/roles/<int:membership_id>/change/", views.membership_change, name="membership-change"),
    path("people/roles/<int:membership_id>/remove/", views.membership_remove, name="membership-remove"),
    path("people/invitations/<int:invitation_id>/resend/", views.invitation_resend, name="invitation-resend"),
    path(
        "people/invitations/<int:invitation_id>/withdraw/",
        views.invitation_withdraw,
        name="invitation-withdraw",
    ),
    path("authorities/<str:code>/people/", views.council_people, name="council-people"),
    path("authorities/<str:code>/people/invite/", views.council_invite, name="council-invite"),
    path("accounts/invitation/<str:token>/", account_views.invitation_accept, name="invitation-accept"),
    path("accounts/password-reset/", account_views.PasswordResetView.as_view(), name="password-reset"),
    path(
        "accounts/password-reset/sent/",
        account_views.PasswordResetSentView.as_view(),
        name="password-reset-sent",
    ),
    path(
        "accounts/password-reset/<uidb64>/<token>/",
        account_views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "accounts/password-reset/done/",
        account_views.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
]
