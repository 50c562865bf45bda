from django.urls import path

from slihub.forecast import budget_views, projection_views, scenario_views, views
from slihub.forecast.ssda903 import views as ssda903_views

urlpatterns = [
    path("", views.home, name="forecast-home"),
    path("england.csv", views.england_csv, name="forecast-england-csv"),
    path("backtest/", views.backtest, name="forecast-backtest"),
    path("population-projections/", projection_views.load_projections, name="forecast-projections"),
    path("<str:code>/", views.authority, name="forecast-authority"),
    path("<str:code>/budget/", budget_views.budget, name="forecast-budget"),
    path("<str:code>/scenarios/new/", scenario_views.new, name="forecast-scenario-new"),
    path("<str:code>/scenarios/<int:pk>/", scenario_views.detail, name="forecast-scenario"),
    path("<str:code>/scenarios/<int:pk>/edit/", scenario_views.edit, name="forecast-scenario-edit"),
    path("<str:code>/scenarios/<int:pk>/share/", scenario_views.share, name="forecast-scenario-share"),
    path("<str:code>/scenarios/<int:pk>/delete/", scenario_views.delete, name="forecast-scenario-delete"),
    path("<str:code>/903/", ssda903_views.upload, name="forecast-903"),
    path("<str:code>/903/forecast/", ssda903_views.result, name="forecast-903-result"),
    path("<str:code>/forecast.csv", views.authority_csv, name="forecast-authority-csv"),
]
