// The admin's image form: show the chosen picture in the preview before it is uploaded.
document.addEventListener("change", (event) => {
  const input = event.target;
  const preview = document.querySelector("[data-upload-preview]");
  if (!preview || input.name !== "file" || !input.files || !input.files[0]) return;
  const reader = new FileReader();
  reader.addEventListener("load", () => {
    const img = document.createElement("img");
    img.src = reader.result; // a data: URL, which the Content-Security-Policy allows for images
    img.alt = "";
    img.width = Number(preview.dataset.uploadPreview);
    preview.replaceChildren(img);
  });
  reader.readAsDataURL(input.files[0]);
});
