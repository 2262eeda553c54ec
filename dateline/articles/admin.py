from django.contrib import admin

from .models import FrontPage, Section, Tag


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "language", "parent", "position"]
    list_editable = ["position"]
    list_filter = ["language"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(FrontPage)
class FrontPageAdmin(admin.ModelAdmin):
    list_display = ["language", "lead"]
    raw_id_fields = ["lead"]
