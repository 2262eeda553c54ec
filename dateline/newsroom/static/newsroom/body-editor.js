// Starts django-prose-editor on textareas marked data-django-prose-editor-newsroom (forms.BodyEditorWidget).
// Imported by relative path rather than through the package's import map, and without Tiptap's injected <style>:
// both are inline, and the Content-Security-Policy refuses inline scripts and styles.
// docs/writing.md describes the body's markup, images, embeds and paste cleaning.
import {
  Blockquote, Bold, BulletList, Document, Dropcursor, Editor, Extension, Gapcursor, HardBreak, Heading, History,
  Italic, Link, ListItem, Menu, NoSpellCheck, OrderedList, Paragraph, SpecialCharacters, Text, crel, gettext,
  initializeEditors, updateAttrsDialog,
} from "../django_prose_editor/editor.js";
import { BodyImage, Embed, PullQuote } from "./body-nodes.js";
import { cleanPastedHTML } from "./body-paste.js";

const ATTRIBUTE = "data-django-prose-editor-newsroom";
const EMPTY = /^<(\w+)(\s[^>]*)?><\/\1>$/i;
const WORDS_PER_MINUTE = 230;  // as articles.html.WORDS_PER_MINUTE

function csrfToken(textarea) {
  const field = textarea.form && textarea.form.querySelector("[name=csrfmiddlewaretoken]");
  if (field) return field.value;
  const cookie = document.cookie.split("; ").find((part) => part.startsWith("csrftoken="));
  return cookie ? decodeURIComponent(cookie.slice("csrftoken=".length)) : "";
}

// A new image or embed goes where the cursor is; with an image or embed selected, after it, never in its place.
function insertBlock(editor, content) {
  const { selection } = editor.state;
  if (selection.node) editor.chain().focus().insertContentAt(selection.to, content).run();
  else editor.chain().focus().insertContent(content).run();
}

// The editor's helpers: the toolbar's own buttons, uploads, embeds, and the message line under the editor.
function bodyTools(config, textarea, say) {
  async function upload(editor, file) {
    say(gettext("Uploading %s…").replace("%s", file.name));
    const data = new FormData();
    data.append("file", file);
    const response = await fetch(config.uploadUrl, {
      method: "POST", body: data, credentials: "same-origin", headers: { "X-CSRFToken": csrfToken(textarea) },
    });
    const answer = await response.json().catch(() => ({ error: gettext("The upload failed; try again.") }));
    if (!response.ok) return say(answer.error, true);
    say("");
    const attrs = { id: String(answer.id), src: answer.src, srcset: answer.srcset, alt: answer.alt || "",
      caption: answer.caption || "", credit: answer.credit || "" };
    insertBlock(editor, { type: "bodyImage", attrs });
    // Where the image landed depends on where the cursor was (inside a paragraph, it is split): find it.
    let position = null;
    editor.state.doc.descendants((node, pos) => {
      if (node.type.name === "bodyImage" && node.attrs.id === attrs.id) position = pos;
    });
    if (position !== null) editor.chain().setNodeSelection(position).describeImage().run();
  }

  function uploadAll(editor, files) {
    const images = [...files].filter((file) => file.type.startsWith("image/"));
    images.reduce((previous, file) => previous.then(() => upload(editor, file)), Promise.resolve());
    return images.length > 0;
  }

  function chooseImage(editor) {
    const input = crel("input", { type: "file", accept: "image/jpeg,image/png,image/webp,image/gif", multiple: true });
    input.addEventListener("change", () => uploadAll(editor, input.files));
    input.click();
  }

  async function embed(editor) {
    const attrs = await updateAttrsDialog(
      { url: { type: "string", title: gettext("Address of the video or post"), format: "url", required: true } },
      { title: gettext("Embed"), submitText: gettext("Embed") },
    )(editor, { url: "" });
    if (!attrs) return;
    const response = await fetch(`${config.embedUrl}?${new URLSearchParams({ url: attrs.url })}`, {
      credentials: "same-origin",
    });
    const answer = await response.json().catch(() => ({ error: gettext("Could not check this address.") }));
    if (!response.ok) return say(answer.error, true);
    say("");
    const { provider, src, url, title, label } = answer;
    insertBlock(editor, { type: "embed", attrs: { provider, src, url, title, label } });
  }

  const extension = Extension.create({
    name: "bodyTools",
    addCommands() {
      return {
        describeImage: () => ({ editor, state }) => {
          const node = state.selection.node;
          if (!node || node.type.name !== "bodyImage") return false;
          const position = state.selection.from;
          updateAttrsDialog({
            alt: { type: "string", title: gettext("Alternative text (required to publish)"),
              description: gettext("What the image shows, for readers who cannot see it.") },
            caption: { type: "string", title: gettext("Caption") },
            credit: { type: "string", title: gettext("Credit") },
          }, { title: gettext("Describe the image") })(editor, node.attrs).then((values) => {
            if (values) editor.chain().setNodeSelection(position).updateAttributes("bodyImage", values).run();
          });
          return true;
        },
      };
    },
    addMenuItems({ menu, buttons }) {
      menu.defineItem({
        name: "pullquote", groups: "nodes", priority: 50,
        button: buttons.text(gettext("Pull quote"), gettext("Pull quote")),
        command: (editor) => editor.chain().focus().togglePullQuote().run(),
        active: (editor) => editor.isActive("pullquote"),
      });
      menu.defineItem({
        name: "image", groups: "nodes", priority: 40,
        button: buttons.text(gettext("Image"), gettext("Upload an image")),
        command: (editor) => (editor.isActive("bodyImage") ? editor.commands.describeImage() : chooseImage(editor)),
      });
      menu.defineItem({
        name: "embed", groups: "nodes", priority: 30,
        button: buttons.text(gettext("Embed"), gettext("Embed a video or post by its address")),
        command: (editor) => embed(editor),
      });
    },
  });

  // The editor's paste and drop: image files are uploaded; HTML is cleaned first (body-paste.js).
  function editorProps(getEditor) {
    return {
      transformPastedHTML: cleanPastedHTML,
      handlePaste: (view, event) => uploadAll(getEditor(), event.clipboardData ? event.clipboardData.files : []),
      handleDrop: (view, event) => {
        const files = event.dataTransfer ? event.dataTransfer.files : [];
        if (!files.length) return false;
        event.preventDefault();
        const position = view.posAtCoords({ left: event.clientX, top: event.clientY });
        if (position) getEditor().commands.setTextSelection(position.pos);
        return uploadAll(getEditor(), files);
      },
    };
  }

  return { extension, editorProps };
}

function extensionsFor(config, tools) {
  return [
    Document, Paragraph, Text, HardBreak, Dropcursor, Gapcursor, Menu, NoSpellCheck,
    config.history && History,
    config.typographic && SpecialCharacters,
    Heading.configure({ levels: config.headingLevels || [2, 3] }),
    Bold, Italic, BulletList, OrderedList, ListItem, Link, Blockquote, PullQuote, BodyImage, Embed, tools,
  ].filter(Boolean);
}

// "412 words · 2 min read", counting words by whitespace as articles.html.word_count does (Arabic, Persian too).
function statsText(editor) {
  const doc = editor.state.doc;
  const words = doc.textBetween(0, doc.content.size, " ", " ").split(/\s+/).filter(Boolean).length;
  const minutes = Math.max(1, Math.ceil(words / WORDS_PER_MINUTE));
  const number = new Intl.NumberFormat(document.documentElement.lang || undefined);
  const wordsLabel = words === 1 ? gettext("word") : gettext("words");
  return `${number.format(words)} ${wordsLabel} · ${number.format(minutes)} ${gettext("min read")}`;
}

// The textarea's own dir (the widget sets it from the story's language), else its container's, else "auto".
function directionOf(textarea) {
  const container = textarea.parentElement && textarea.parentElement.closest("[dir]:not(html)");
  return textarea.getAttribute("dir") || (container && container.getAttribute("dir")) || "auto";
}

function createEditor(textarea) {
  if (textarea.closest(".prose-editor")) return;
  const config = JSON.parse(textarea.getAttribute(ATTRIBUTE) || "{}");
  const disabled = textarea.hasAttribute("disabled");
  const wrapper = crel("div", { className: `prose-editor ${disabled ? "disabled" : ""}` });
  const stats = crel("p", { className: "body-editor-stats", "aria-live": "polite" });
  const message = crel("p", { className: "body-editor-message", role: "status" });
  const say = (text, isError = false) => {
    message.textContent = text || "";
    message.classList.toggle("error", !!isError);
  };
  textarea.before(wrapper);
  wrapper.append(textarea);
  const tools = bodyTools(config, textarea, say);
  const editor = new Editor({
    element: wrapper,
    editable: !disabled,
    injectCSS: false,
    extensions: extensionsFor(config, tools.extension),
    content: textarea.value,
    editorProps: tools.editorProps(() => editor),
    onUpdate({ editor }) {
      const html = editor.getHTML();
      textarea.value = EMPTY.test(html) ? "" : html;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
      stats.textContent = statsText(editor);
    },
  });
  wrapper.append(stats, message);  // under the text, inside the editor's box
  stats.textContent = statsText(editor);
  // ProseMirror sets only the attributes it computes, so a dir set here stays.
  // The desk's writing screen may change the story's language, and with it the direction, while it is open.
  const follow = () => { editor.view.dom.setAttribute("dir", directionOf(textarea)); };
  follow();
  // The editable area stands in for the textarea: it takes the textarea's label (and help) for screen readers.
  const label = textarea.labels?.[0]?.textContent.trim().replace(/\s*[:：]$/, "");
  if (label) editor.view.dom.setAttribute("aria-label", label);
  editor.view.dom.setAttribute("aria-multiline", "true");
  const help = textarea.getAttribute("aria-describedby");
  if (help) editor.view.dom.setAttribute("aria-describedby", help);
  new MutationObserver(follow).observe(textarea, { attributes: true, attributeFilter: ["dir"] });
  new MutationObserver(follow).observe(wrapper.parentElement, { attributes: true, attributeFilter: ["dir"] });
  textarea.dispatchEvent(new CustomEvent("prose-editor:ready", { detail: { editor, textarea }, bubbles: true }));
}

initializeEditors(createEditor, `[${ATTRIBUTE}]`);
