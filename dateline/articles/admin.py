from django.contrib import admin

from .models import FrontPage, Section, Story


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ["news_id", "headline", "section", "status", "published_at", "language"]
    list_filter = ["status", "section", "language", "published_at"]
    search_fields = ["headline", "=news_id"]
    date_hierarchy = "published_at"
    readonly_fields = ["news_id", "version", "created_at", "updated_at"]
    filter_horizontal = ["authors"]
    list_select_related = ["section"]


@admin.register(FrontPage)
class FrontPageAdmin(admin.ModelAdmin):
    list_display = ["language", "lead"]
    raw_id_fields = ["lead"]
