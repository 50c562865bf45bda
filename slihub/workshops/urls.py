"""Workshop pages under /workshops/ (what follows an event, attendance, materials and feedback, is in
after_urls.py)."""

from django.urls import path

from slihub.workshops import views

urlpatterns = [
    path("", views.workshop_list, name="workshop-list"),
    path("calendar.ics", views.calendar_feed, name="workshop-calendar"),
    path("regions/<slug:slug>/calendar.ics", views.region_calendar_feed, name="workshop-region-calendar"),
    path("mine/", views.my_workshops, name="workshop-mine"),
    path("new/", views.workshop_new, name="workshop-new"),
    path("<int:pk>/", views.workshop_detail, name="workshop-detail"),
    path("<int:pk>/edit/", views.workshop_edit, name="workshop-edit"),
    path("<int:pk>/publish/", views.workshop_publish, name="workshop-publish"),
    path("<int:pk>/cancel/", views.workshop_cancel, name="workshop-cancel"),
    path("<int:pk>/register/", views.workshop_register, name="workshop-register"),
    path("<int:pk>/cancel-place/", views.workshop_cancel_place, name="workshop-cancel-place"),
    path("<int:pk>/event.ics", views.event_ics, name="workshop-event-ics"),
]
