from django.urls import path

from slihub.jobs import views

urlpatterns = [
    path("", views.job_list, name="job-list"),
    path("imports/new/", views.import_new, name="job-import-new"),
    path("<int:pk>/", views.job_detail, name="job-detail"),
    path("<int:pk>/progress/", views.job_progress, name="job-progress"),
]
