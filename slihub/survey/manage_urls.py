"""The questionnaire builder's pages, under /survey/manage/ (national admins only)."""

from django.urls import path

from slihub.survey import manage_views as views

urlpatterns = [
    path("manage/", views.version_list, name="survey-manage"),
    path("manage/new/", views.version_new, name="survey-manage-new"),
    path("manage/<int:year>/", views.version_detail, name="survey-manage-version"),
    path("manage/<int:year>/edit/", views.version_edit, name="survey-manage-edit"),
    path("manage/<int:year>/sections/new/", views.section_new, name="survey-manage-section-new"),
    path("manage/<int:year>/sections/<int:pk>/edit/", views.section_edit, name="survey-manage-section-edit"),
    path(
        "manage/<int:year>/sections/<int:pk>/delete/",
        views.section_delete,
        name="survey-manage-section-delete",
    ),
    path("manage/<int:year>/sections/<int:pk>/move/", views.section_move, name="survey-manage-section-move"),
    path("manage/<int:year>/questions/new/", views.question_new, name="survey-manage-question-new"),
    path(
        "manage/<int:year>/questions/<int:pk>/edit/", views.question_edit, name="survey-manage-question-edit"
    ),
    path(
        "manage/<int:year>/questions/<int:pk>/delete/",
        views.question_delete,
        name="survey-manage-question-delete",
    ),
    path(
        "manage/<int:year>/questions/<int:pk>/move/", views.question_move, name="survey-manage-question-move"
    ),
    path("manage/<int:year>/carry/", views.carry, name="survey-manage-carry"),
    path("manage/<int:year>/open/", views.open_survey, name="survey-manage-open"),
    path("manage/<int:year>/close/", views.close_survey, name="survey-manage-close"),
]
