"""The survey's results under /survey/ (included after the manage module and before the answer module)."""

from django.urls import path

from slihub.survey import results_views as views

urlpatterns = [
    path("<int:year>/results/", views.results, name="survey-results"),
    path("<int:year>/results.csv", views.results_csv, name="survey-results-csv"),
    path("<int:year>/results.xlsx", views.results_xlsx, name="survey-results-xlsx"),
    path("<int:year>/results/our-answers/", views.own_answers, name="survey-results-own"),
    path("<int:year>/publish/", views.publish, name="survey-publish"),
    path("<int:year>/summary/", views.summary, name="survey-summary"),
]
