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

  // Tags and bylines: names that begin with the one being typed, offered by the field's <datalist>.
  function suggestFor(field) {
    const list = document.getElementById(field.getAttribute("list"));
    const url = form.dataset.suggestUrl.replace("KIND", field.dataset.suggest);
    let asked = "";
    field.addEventListener("input", async () => {
      const typed = field.value;
      if (typed === asked) return;
      asked = typed;
      const response = await fetch(`${url}?q=${encodeURIComponent(typed)}`, { credentials: "same-origin" }).catch(() => null);
      if (!response || !response.ok) return;
      const { names } = await response.json();
      const before = typed.includes(",") ? typed.slice(0, typed.lastIndexOf(",") + 1) + " " : "";
      list.replaceChildren(...names.map((name) => Object.assign(document.createElement("option"), { value: before + name })));
    });
  }
  form.querySelectorAll("[data-suggest]").forEach(suggestFor);
})();
