from django.urls import path

from houqin.org import views

app_name = "org"

urlpatterns = [
    *views.Departments.urls(),
    *views.Teams.urls(),
    *views.Posts.urls(),
    *views.StaffPages.urls(),
    *views.ServedUnits.urls(),
    *views.Vendors.urls(),
    *views.Contracts.urls(),
    path("org/staff/<int:pk>/leave/", views.staff_leave_view, name="staff_leave"),
]
