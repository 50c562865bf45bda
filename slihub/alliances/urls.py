"""The alliance pages under /alliances/. Each part of the cycle adds its own lines here."""

from django.urls import path

from slihub.alliances import challenge_views as challenge
from slihub.alliances import priority_views as priority
from slihub.alliances import selfassessment_views as self_assessment
from slihub.alliances import views

_SA = "self-assessments/<str:code>/<str:year>/"

urlpatterns = [
    # peer challenge (slihub/alliances/challenge_views.py)
    path("<slug:slug>/<int:year>/challenge-groups/", challenge.groups, name="challenge-groups"),
    path("<slug:slug>/<int:year>/challenges/", challenge.challenge_list, name="challenge-list"),
    path("<slug:slug>/<int:year>/challenges/new/", challenge.challenge_new, name="challenge-new"),
    path("challenges/<int:pk>/", challenge.challenge_detail, name="challenge-detail"),
    path("challenge-actions/<int:pk>/follow-up/", challenge.action_follow_up, name="challenge-follow-up"),
    path(_SA, self_assessment.overview, name="self-assessment"),
    path(f"{_SA}start/", self_assessment.start, name="self-assessment-start"),
    path(f"{_SA}answer/<slug:page>/", self_assessment.page, name="self-assessment-page"),
    path(f"{_SA}save/", self_assessment.save, name="self-assessment-save"),
    path(f"{_SA}check/", self_assessment.check, name="self-assessment-check"),
    path(f"{_SA}moderate/", self_assessment.moderate, name="self-assessment-moderate"),
    path(f"{_SA}coordinate/<slug:action>/", self_assessment.coordinate, name="self-assessment-coordinate"),
    path(f"{_SA}data-pack/", self_assessment.data_pack, name="self-assessment-data-pack"),
    # regional improvement priorities (slihub/alliances/priority_views.py)
    path("<slug:slug>/priorities/", priority.priority_list, name="alliance-priorities"),
    path("<slug:slug>/priorities/new/", priority.priority_new, name="alliance-priority-new"),
    path("<slug:slug>/priorities/<int:pk>/", priority.priority_detail, name="alliance-priority"),
    path("<slug:slug>/priorities/<int:pk>/edit/", priority.priority_edit, name="alliance-priority-edit"),
    # the alliances themselves (slihub/alliances/views.py)
    path("", views.alliance_list, name="alliance-list"),
    path("<slug:slug>/", views.alliance_detail, name="alliance-detail"),
    path("<slug:slug>/cycle/", views.alliance_cycle, name="alliance-cycle"),
    path("<slug:slug>/signatures/", views.alliance_signatures, name="alliance-signatures"),
    path(
        "<slug:slug>/signatures/<int:pk>/delete/",
        views.alliance_signature_delete,
        name="alliance-signature-delete",
    ),
    path("<slug:slug>/groups/", views.alliance_groups, name="alliance-groups"),
    path("<slug:slug>/groups/<int:pk>/", views.alliance_groups, name="alliance-group"),
    path("<slug:slug>/groups/<int:pk>/delete/", views.alliance_group_delete, name="alliance-group-delete"),
    path("<slug:slug>/settings/", views.alliance_settings, name="alliance-settings"),
    path("<slug:slug>/tartan-rug/", views.tartan_rug, name="alliance-rug"),
    path("<slug:slug>/tartan-rug.csv", views.tartan_rug_csv, name="alliance-rug-csv"),
]
