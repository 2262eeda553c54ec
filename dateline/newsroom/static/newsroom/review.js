// Review: "Note on selection" copies the words selected in the story text into the note's passage field.
// Without this script the field is filled by hand (or by copy and paste); the button stays hidden.
document.addEventListener("DOMContentLoaded", () => {
  const button = document.getElementById("note-on-selection");
  const story = document.getElementById("review-text");
  const passage = document.getElementById("id_passage");
  if (!button || !story || !passage) return;
  button.hidden = false;
  button.addEventListener("mousedown", (event) => event.preventDefault()); // keep the selection
  button.addEventListener("click", () => {
    const selection = window.getSelection();
    const inside = selection && selection.rangeCount > 0 && story.contains(selection.getRangeAt(0).commonAncestorContainer);
    const words = inside ? selection.toString().replace(/\s+/g, " ").trim() : "";
    if (words) passage.value = words;
    (words ? document.getElementById("id_text") : passage).focus();
  });
});
