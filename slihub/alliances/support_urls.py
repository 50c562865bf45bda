"""Support agreements and declared capacity, under /alliances/ (fixed words before a council's code)."""

from django.urls import path

from slihub.alliances import support_views as views

urlpatterns = [
    path("support/agreements/new/", views.agreement_new, name="support-agreement-new"),
    path("support/agreements/<int:pk>/", views.agreement_detail, name="support-agreement"),
    path("support/agreements/<int:pk>/edit/", views.agreement_edit, name="support-agreement-edit"),
    path("support/<str:code>/", views.council_support, name="support-council"),
    path("support/<str:code>/capacity/", views.capacity_form, name="support-capacity"),
    path("<slug:slug>/support/", views.alliance_support, name="alliance-support"),
]
