app_name = "images"
urlpatterns = []
