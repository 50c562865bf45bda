"""The menu of support under /alliances/: an alliance's menu, a council's asks and offers, their forms.
Included before slihub.alliances.urls, whose /alliances/<region-slug>/ would otherwise take menu/."""

from django.urls import path

from slihub.alliances import menu_views as views

urlpatterns = [
    path("<slug:slug>/menu/", views.alliance_menu, name="menu-alliance"),
    path("menu/<str:code>/", views.council_menu, name="menu-council"),
    path("menu/<str:code>/asks/new/", views.ask_form, name="menu-ask-new"),
    path("menu/<str:code>/offers/new/", views.offer_form, name="menu-offer-new"),
    path("menu/asks/<int:pk>/edit/", views.ask_form, name="menu-ask-edit"),
    path("menu/offers/<int:pk>/edit/", views.offer_form, name="menu-offer-edit"),
    path("menu/asks/<int:pk>/status/", views.set_status, {"kind": "ask"}, name="menu-ask-status"),
    path("menu/offers/<int:pk>/status/", views.set_status, {"kind": "offer"}, name="menu-offer-status"),
]
