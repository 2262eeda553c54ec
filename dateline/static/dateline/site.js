// Dateline's only script. Pages work without it; with it, `refresh` fetches a new security key in place,
// keeping what the reader typed.
"use strict";
document.addEventListener("click", function (event) {
  var link = event.target.closest(".captcha-refresh");
  if (!link) return;
  event.preventDefault();
  var form = link.closest("form");
  fetch(link.dataset.url, {headers: {"X-Requested-With": "XMLHttpRequest"}, credentials: "same-origin"})
    .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
    .then(function (key) {
      var image = form.querySelector(".captcha-image");
      image.src = key.image_url;
      image.srcset = key.image_url.slice(0, -1) + "@2/ 2x";
      form.querySelector("input[name$='captcha_0']").value = key.key;
      var audio = form.querySelector(".captcha-audio");
      if (audio && key.audio_url) audio.href = key.audio_url;
      var answer = form.querySelector("input[name$='captcha_1']");
      answer.value = "";
      answer.focus();
    })
    .catch(function () { window.location.reload(); });
});
