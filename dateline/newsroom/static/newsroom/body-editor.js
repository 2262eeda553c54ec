// Starts django-prose-editor on textareas marked data-django-prose-editor-newsroom (forms.BodyEditorWidget).
// Imported by relative path rather than through the package's import map, and without Tiptap's injected <style>:
// both are inline, and the Content-Security-Policy refuses inline scripts and styles.
import {
  Blockquote, Bold, BulletList, Document, Dropcursor, Editor, Gapcursor, HardBreak, Heading, History, Italic,
  Link, ListItem, Menu, NoSpellCheck, OrderedList, Paragraph, SpecialCharacters, Text, crel, initializeEditors,
} from "../django_prose_editor/editor.js";

const ATTRIBUTE = "data-django-prose-editor-newsroom";
const EMPTY = /^<(\w+)(\s[^>]*)?><\/\1>$/i;

function extensionsFor(config) {
  return [
    Document, Paragraph, Text, HardBreak, Dropcursor, Gapcursor, Menu, NoSpellCheck,
    config.history && History,
    config.typographic && SpecialCharacters,
    Heading.configure({ levels: config.headingLevels || [2, 3, 4] }),
    Bold, Italic, BulletList, OrderedList, ListItem, Link, Blockquote,
  ].filter(Boolean);
}

function createEditor(textarea) {
  if (textarea.closest(".prose-editor")) return;
  const config = JSON.parse(textarea.getAttribute(ATTRIBUTE) || "{}");
  const disabled = textarea.hasAttribute("disabled");
  const wrapper = crel("div", { className: `prose-editor ${disabled ? "disabled" : ""}` });
  textarea.before(wrapper);
  wrapper.append(textarea);
  const editor = new Editor({
    element: wrapper,
    editable: !disabled,
    injectCSS: false,
    extensions: extensionsFor(config),
    content: textarea.value,
    onUpdate({ editor }) {
      const html = editor.getHTML();
      textarea.value = EMPTY.test(html) ? "" : html;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    },
  });
  textarea.dispatchEvent(new CustomEvent("prose-editor:ready", { detail: { editor, textarea }, bubbles: true }));
}

initializeEditors(createEditor, `[${ATTRIBUTE}]`);
