"""Partners in Practice, statutory interventions and councils' strengths, under /alliances/."""

from django.urls import path

from slihub.alliances import partner_views as views

urlpatterns = [
    path("partners-in-practice/", views.partners_in_practice, name="partners-in-practice"),
    path("interventions/", views.intervention_list, name="intervention-list"),
    path("interventions/add/", views.intervention_add, name="intervention-add"),
    path("interventions/<int:pk>/edit/", views.intervention_edit, name="intervention-edit"),
    path("strengths/<str:code>/", views.council_strengths, name="council-strengths"),
]
