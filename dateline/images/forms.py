from django import forms

from .models import Image
from .validation import ACCEPT, validate_upload


class ImageUploadField(forms.FileField):
    """A file field that takes only real JPEG, PNG, WebP and GIF images within the limits (see validation.py).

    It replaces Django's forms.ImageField, whose single "not a valid image" message would hide ours, and which
    decodes the whole file before any size check.
    """

    def to_python(self, data):
        file = super().to_python(data)
        if file is not None:
            validate_upload(file)
        return file

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs["accept"] = ACCEPT
        return attrs


class ImageForm(forms.ModelForm):
    """Upload or edit an image: the admin's form, and the one for anything else that takes uploads."""

    class Meta:
        model = Image
        fields = ["file", "alt_text", "caption", "credit"]
        field_classes = {"file": ImageUploadField}
