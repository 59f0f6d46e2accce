from django.urls import path

from debtors import views

app_name = "debtors"
urlpatterns = [
    path("", views.debtor_list, name="list"),
    path("new/", views.debtor_create, name="create"),
    path("groups/", views.group_list, name="groups"),
    path("groups/<int:group_id>/", views.group_edit, name="group_edit"),
    path("groups/<int:group_id>/delete/", views.group_delete, name="group_delete"),
    path("<int:debtor_id>/", views.debtor_detail, name="detail"),
    path("<int:debtor_id>/edit/", views.debtor_edit, name="edit"),
    path("<int:debtor_id>/delete/", views.debtor_delete, name="delete"),
]
