from django.urls import path

from slihub.alliances import selfassessment_views as self_assessment

_SA = "self-assessments/<str:code>/<str:year>/"

urlpatterns = [
    path(_SA, self_assessment.overview, name="self-assessment"),
    path(f"{_SA}start/", self_assessment.start, name="self-assessment-start"),
    path(f"{_SA}answer/<slug:page>/", self_assessment.page, name="self-assessment-page"),
    path(f"{_SA}save/", self_assessment.save, name="self-assessment-save"),
    path(f"{_SA}check/", self_assessment.check, name="self-assessment-check"),
    path(f"{_SA}moderate/", self_assessment.moderate, name="self-assessment-moderate"),
    path(f"{_SA}coordinate/<slug:action>/", self_assessment.coordinate, name="self-assessment-coordinate"),
    path(f"{_SA}data-pack/", self_assessment.data_pack, name="self-assessment-data-pack"),
]
