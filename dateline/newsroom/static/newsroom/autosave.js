// Autosave of a draft on the story change form (templates/newsroom/story_change_form.html marks the form).
// Every 30 seconds, when the form has changed, it is posted to the autosave URL; the server answers the new version,
// which the form then carries. A copy stays in localStorage until the server has it, to recover after a crash.
(function () {
  "use strict";
  const marker = document.querySelector("[data-autosave-url]");
  if (!marker) return;
  const interval = 1000 * (Number(marker.dataset.autosaveSeconds) || 30);
  const form = marker.closest("form");
  const status = marker.querySelector(".autosave-status");
  const restoreButton = marker.querySelector(".autosave-restore");
  const key = marker.dataset.autosaveKey;
  let lastSent = snapshot();

  function snapshot() {
    return new URLSearchParams(new FormData(form)).toString();
  }

  function textFields() {
    const fields = {};
    for (const field of form.querySelectorAll("input[type=text], textarea")) fields[field.name] = field.value;
    return fields;
  }

  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle("is-error", Boolean(isError));
  }

  function keepLocally() {
    const copy = { version: Number(form.elements.based_on.value), savedAt: Date.now(), fields: textFields() };
    try {
      localStorage.setItem(key, JSON.stringify(copy));
    } catch (error) {
      // Storage full or disabled: the server copy is all there is.
    }
  }

  async function save() {
    const current = snapshot();
    if (current === lastSent) return;
    keepLocally();
    const response = await fetch(marker.dataset.autosaveUrl, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "XMLHttpRequest" },
    });
    const answer = await response.json().catch(() => ({}));
    if (response.ok) {
      form.elements.based_on.value = answer.version;
      lastSent = snapshot();
      localStorage.removeItem(key);
      say(gettext("Draft saved at ") + new Date(answer.saved_at).toLocaleTimeString());
    } else {
      say(answer.error || gettext("Not saved automatically; use the Save button."), true);
    }
  }

  function restore(copy) {
    for (const [name, value] of Object.entries(copy.fields)) {
      const field = form.elements[name];
      if (!field || !("value" in field)) continue;
      field.value = value;
      const editor = field.closest(".prose-editor")?.querySelector(".tiptap")?.editor;
      if (editor) editor.commands.setContent(value, { emitUpdate: true });
    }
    restoreButton.hidden = true;
    say(gettext("Text restored; check it, then save."));
  }

  function offerRestore() {
    let copy = null;
    try {
      copy = JSON.parse(localStorage.getItem(key));
    } catch (error) {
      return;
    }
    if (!copy || copy.version < Number(form.elements.based_on.value)) return localStorage.removeItem(key);
    const differs = Object.entries(copy.fields).some(([name, value]) => form.elements[name]?.value !== value);
    if (!differs) return;
    restoreButton.hidden = false;
    restoreButton.addEventListener("click", () => restore(copy));
  }

  offerRestore();
  setInterval(() => save().catch(() => say(gettext("Not saved automatically; use the Save button."), true)), interval);
  form.addEventListener("input", keepLocally);
  form.addEventListener("submit", (event) => {
    // A preview refresh posts the form into the preview frame; the text is not saved by it.
    if (!event.submitter?.hasAttribute("data-preview-button")) localStorage.removeItem(key);
  });
})();
