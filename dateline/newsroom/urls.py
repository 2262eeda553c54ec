app_name = "newsroom"
urlpatterns = []
