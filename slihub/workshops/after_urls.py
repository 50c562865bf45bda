"""What follows a workshop: attendance, materials, feedback and what was shared (under /workshops/)."""

from django.urls import path

from slihub.workshops import after_views as views

urlpatterns = [
    path("<int:pk>/attendance/", views.attendance, name="workshop-attendance"),
    path("<int:pk>/materials/new/", views.material_new, name="workshop-material-new"),
    path("materials/<int:pk>/download/", views.material_download, name="workshop-material-download"),
    path("materials/<int:pk>/delete/", views.material_delete, name="workshop-material-delete"),
    path("<int:pk>/feedback/", views.feedback, name="workshop-feedback"),
    path("<int:pk>/feedback/summary/", views.feedback_summary, name="workshop-feedback-summary"),
    path("<int:pk>/shared/", views.shared, name="workshop-shared"),
]
