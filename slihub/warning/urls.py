from django.urls import path

from slihub.warning import views

urlpatterns = [
    path("", views.watchlist, name="warning-watchlist"),
    path("backtest/", views.backtest, name="warning-backtest"),
    path("directors/", views.directors, name="warning-directors"),
    path("authorities/<str:code>/", views.authority_risk, name="warning-authority"),
]
