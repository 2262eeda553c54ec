// Dateline's only script. Pages work without it; with it, `refresh` fetches a new security key in place,
// keeping what the reader typed, and a cached page's comment form gets the reader's own key and token
// (fetched from data-parts) as soon as the reader starts a comment.
"use strict";

function showKey(form, key) {
  var image = form.querySelector(".captcha-image");
  image.src = key.image_url;
  image.srcset = key.image_url.slice(0, -1) + "@2/ 2x";
  form.querySelector("input[name$='captcha_0']").value = key.key;
  var audio = form.querySelector(".captcha-audio");
  if (audio && key.audio_url) {
    audio.href = key.audio_url;
    audio.hidden = false;  // a cached page shows the link only once it leads to this reader's key
  }
}

function getJSON(url, headers) {
  return fetch(url, {headers: headers || {}, credentials: "same-origin"})
    .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); });
}

// A form from a cached page (data-parts) sends to the no-JavaScript step until its parts are filled in.
function fillParts(form) {
  if (!form.dataset.parts) return Promise.resolve();
  if (!form.partsLoading) {
    form.partsLoading = getJSON(form.dataset.parts).then(function (parts) {
      var token = document.createElement("input");
      token.type = "hidden";
      token.name = "csrfmiddlewaretoken";
      token.value = parts.csrf_token;
      form.prepend(token);
      form.querySelector("input[name='issued']").value = parts.issued;
      showKey(form, parts.captcha);
      form.action = form.dataset.action;
      delete form.dataset.parts;
    });
  }
  return form.partsLoading;
}

document.addEventListener("focusin", function (event) {
  var form = event.target.closest && event.target.closest("form[data-parts]");
  if (form) fillParts(form).catch(function () {});
});

document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.dataset || !form.dataset.parts) return;
  event.preventDefault();
  fillParts(form).then(function () { form.submit(); }, function () { form.submit(); });
});

document.addEventListener("click", function (event) {
  var link = event.target.closest(".captcha-refresh");
  if (!link) return;
  event.preventDefault();
  var form = link.closest("form");
  fillParts(form)
    .then(function () { return getJSON(link.dataset.url, {"X-Requested-With": "XMLHttpRequest"}); })
    .then(function (key) {
      showKey(form, key);
      var answer = form.querySelector("input[name$='captcha_1']");
      answer.value = "";
      answer.focus();
    })
    .catch(function () { window.location.reload(); });
});

// Embeds are placeholders that ask nothing of the provider (articles/embeds.py): the button, shown only with this
// script, puts the player in place when the reader asks for it; without the script the link leads to the original.
function showEmbedButtons() {
  document.querySelectorAll(".embed-placeholder .embed-load, .embed-placeholder .embed-note").forEach(function (element) {
    element.hidden = false;
  });
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", showEmbedButtons);
else showEmbedButtons();

document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest(".embed-load");
  if (!button) return;
  var figure = button.closest(".embed-placeholder");
  var frame = document.createElement("iframe");
  frame.src = button.dataset.src;
  frame.title = button.dataset.title;
  frame.allowFullscreen = true;
  frame.referrerPolicy = "strict-origin-when-cross-origin";
  frame.className = "embed-frame";
  figure.classList.remove("embed-placeholder");
  figure.classList.add("embed-loaded");
  button.nextElementSibling.remove();
  button.replaceWith(frame);
  frame.focus();
});
