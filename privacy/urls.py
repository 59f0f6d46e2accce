from privacy import erasure_views, export_views

app_name = "privacy"
urlpatterns = [*export_views.urlpatterns, *erasure_views.urlpatterns]
