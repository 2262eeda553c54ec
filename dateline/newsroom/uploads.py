"""Images put into a story's body from the editor (button, paste or drop): one upload, answered in JSON."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dateline.images.forms import ImageForm


@require_POST
def upload_image(request):
    """Store an uploaded picture as an images.Image, with its renditions; 400 with the reason when refused."""
    user = request.user  # refused in JSON, not by a redirect to the login page: the editor's script asks
    if not (user.is_active and user.is_staff and user.has_perm("images.add_image")):
        return JsonResponse({"error": _("You may not upload images.")}, status=403)
    form = ImageForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = [message for messages in form.errors.values() for message in messages]
        return JsonResponse({"error": " ".join(errors) or _("Choose a picture to upload.")}, status=400)
    image = form.save(commit=False)
    image.uploaded_by = user
    image.save()
    return JsonResponse(described(image), status=201)


def described(image):
    """What the editor needs to show the image in the body."""
    return {
        "id": image.pk,
        "src": image.src_url(),
        "srcset": image.srcset(),
        "width": image.width,
        "height": image.height,
        "alt": image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
    }
