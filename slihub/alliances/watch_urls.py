"""The concentration and polarisation watch and the directors' records, under /alliances/ (included
before the alliances' own <region-slug>/ pages, so that watch/ and directors/ are never read as a region)."""

from django.urls import path

from slihub.alliances import watch_views as views

urlpatterns = [
    path("watch/", views.national, name="watch"),
    path("<slug:slug>/watch/", views.regional, name="watch-region"),
    path("directors/<str:code>/", views.director_list, name="director-list"),
    path("directors/<str:code>/add/", views.director_add, name="director-add"),
    path("directors/<str:code>/<int:pk>/edit/", views.director_edit, name="director-edit"),
]
