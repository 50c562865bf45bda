from django.urls import path

from slihub.forecast import budget_views, views

urlpatterns = [
    path("", views.home, name="forecast-home"),
    path("england.csv", views.england_csv, name="forecast-england-csv"),
    path("backtest/", views.backtest, name="forecast-backtest"),
    path("<str:code>/", views.authority, name="forecast-authority"),
    path("<str:code>/budget/", budget_views.budget, name="forecast-budget"),
    path("<str:code>/forecast.csv", views.authority_csv, name="forecast-authority-csv"),
]
