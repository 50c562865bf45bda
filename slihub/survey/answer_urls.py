"""Answering the survey, under /survey/: a council's task list, a page per section, check your answers,
the delegate; national admins' preview of a version (under manage/, which the builder's module leaves to
this one). A year is four digits and a council its DfE code, so these never take another module's path."""

from django.urls import path, re_path

from slihub.survey import answer_views as views

COUNCIL = r"^(?P<year>[0-9]{4})/(?P<code>[0-9]{3})/"

urlpatterns = [
    path("", views.home, name="survey-home"),
    path("manage/<int:year>/preview/", views.preview, name="survey-preview"),
    re_path(COUNCIL + r"$", views.overview, name="survey-answer"),
    re_path(
        COUNCIL + r"sections/(?P<position>[0-9]{1,4})/$", views.section_page, name="survey-answer-section"
    ),
    re_path(COUNCIL + r"sections/(?P<position>[0-9]{1,4})/save/$", views.save, name="survey-answer-save"),
    re_path(COUNCIL + r"check/$", views.check, name="survey-answer-check"),
    re_path(COUNCIL + r"submitted/$", views.submitted, name="survey-answer-submitted"),
    re_path(COUNCIL + r"delegate/$", views.delegate_page, name="survey-answer-delegate"),
]
