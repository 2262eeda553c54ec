// The writing screen's enhancements (it works without them): the preview follows the text, tags are suggested.
(function () {
  "use strict";
  const form = document.getElementById("story-form");
  if (!form) return;

  const previewButton = form.querySelector("[data-preview-button]");
  let previewTimer = null;
  function refreshPreview() {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(() => form.requestSubmit(previewButton), 1500);
  }
  if (previewButton) {
    form.addEventListener("input", refreshPreview);
    form.requestSubmit(previewButton);
  }

  const tags = form.querySelector("[data-suggest-url]");
  const list = document.getElementById("tag-suggestions");
  let asked = "";
  async function suggest() {
    const typed = tags.value;
    if (typed === asked) return;
    asked = typed;
    const response = await fetch(`${tags.dataset.suggestUrl}?q=${encodeURIComponent(typed)}`, { credentials: "same-origin" });
    if (!response.ok) return;
    const { tags: names } = await response.json();
    const before = typed.includes(",") ? typed.slice(0, typed.lastIndexOf(",") + 1) + " " : "";
    list.replaceChildren(...names.map((name) => Object.assign(document.createElement("option"), { value: before + name })));
  }
  if (tags && list) tags.addEventListener("input", () => suggest().catch(() => {}));
})();
