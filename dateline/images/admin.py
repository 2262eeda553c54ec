from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .forms import ImageForm
from .models import Image

THUMBNAIL_WIDTH = 80
PREVIEW_WIDTH = 320


def picture_tag(image, width):
    """An <img> of `image` shown `width` pixels wide, from its narrowest stored size."""
    height = max(1, round(image.height * width / image.width)) if image.width else width
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="" loading="lazy">',
        image.thumbnail().url,
        width,
        height,
    )


class AltTextFilter(admin.SimpleListFilter):
    title = _("alternative text")
    parameter_name = "alt"

    def lookups(self, request, model_admin):
        return [("missing", _("Missing")), ("present", _("Present"))]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.filter(alt_text__regex=r"^\s*$")
        if self.value() == "present":
            return queryset.exclude(alt_text__regex=r"^\s*$")
        return queryset


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageForm
    list_display = ["thumbnail", "__str__", "credit", "dimensions", "alt_text_given", "uploaded_by", "created_at"]
    list_display_links = ["thumbnail", "__str__"]
    list_filter = [AltTextFilter, "created_at"]
    search_fields = ["alt_text", "caption", "credit", "uploaded_by__username"]
    list_select_related = ["uploaded_by"]
    date_hierarchy = "created_at"
    fields = ["file", "preview", "alt_text", "caption", "credit", "dimensions", "uploaded_by", "created_at"]
    readonly_fields = ["preview", "dimensions", "uploaded_by", "created_at"]

    class Media:
        js = ["images/upload-preview.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("renditions")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("image"))
    def thumbnail(self, image):
        return picture_tag(image, THUMBNAIL_WIDTH)

    @admin.display(description=_("preview"))
    def preview(self, image):
        # static/images/upload-preview.js shows a newly chosen file here before it is uploaded
        return format_html(
            '<span class="image-preview" data-upload-preview="{}">{}</span>',
            PREVIEW_WIDTH,
            picture_tag(image, PREVIEW_WIDTH) if image.pk else "",
        )

    @admin.display(description=_("size in pixels"))
    def dimensions(self, image):
        return f"{image.width} × {image.height}" if image.pk else "–"

    @admin.display(description=_("alternative text"), boolean=True)
    def alt_text_given(self, image):
        return image.has_alt_text
