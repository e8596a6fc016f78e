/*
 * The first screen (dashboard/render/firstscreen.py), run inline before it is parsed.
 *
 * Its language: the page's own choice (dashboard/text/i18n.py choose_language): a valid
 * `?lang=`, else the browser's language (Spanish for any es-*), else the default in this
 * script's data-default. An embed (`?embed=true`) shows no first screen (it has no title).
 * Sets <html data-tim-first="es|en|embed">, which first-screen.css reads; <html lang> and
 * the document's title (data-title-LANG) in that language.
 *
 * Its end: the screen is an overlay beside Streamlit's #root, kept until Streamlit has
 * drawn the page's title (an h1 in #root, drawn where the screen's title is: no blank
 * page and no jump between), removed two frames after that title's font is ready; after
 * GIVE_UP_MS in any case (a page that never draws). While it shows, #root is inert: a
 * key press cannot reach a control hidden under it.
 */
(function () {
  "use strict";
  var GIVE_UP_MS = 20000;
  var FONT_WAIT_MS = 1000;
  var script = document.currentScript;
  var root = document.documentElement;
  var query = new URLSearchParams(window.location.search);
  var lang = (query.get("lang") || "").trim().toLowerCase();
  if (lang !== "es" && lang !== "en") {
    var primary = (navigator.language || "").toLowerCase().replace("_", "-").split("-")[0];
    lang = primary === "es" || primary === "en" ? primary : script.getAttribute("data-default");
  }
  var embed = (query.get("embed") || "").toLowerCase() === "true";
  root.setAttribute("data-tim-first", embed ? "embed" : lang);
  root.setAttribute("lang", lang);
  var title = script.getAttribute("data-title-" + lang);
  if (title) { document.title = title; }

  var app = document.getElementById("root");
  var done = false;
  function remove() {
    if (done) { return; }
    done = true;
    var screen = document.getElementById(script.getAttribute("data-screen"));
    if (screen) { screen.parentNode.removeChild(screen); }
    if (app) { app.inert = false; }
  }
  if (embed) {
    document.addEventListener("DOMContentLoaded", remove);
    return;
  }
  if (app) { app.inert = true; }
  function handOver() {
    // The title's font (Streamlit's Source Sans, font-display: block, preloaded) drawn,
    // or FONT_WAIT_MS; then two frames, so the title is on screen before the screen goes.
    var go = function () {
      requestAnimationFrame(function () { requestAnimationFrame(remove); });
    };
    if (document.fonts && document.fonts.ready) { document.fonts.ready.then(go); }
    setTimeout(go, document.fonts ? FONT_WAIT_MS : 0);
  }
  if (!app || !window.MutationObserver) {
    setTimeout(remove, GIVE_UP_MS);
    return;
  }
  var observer = new MutationObserver(function () {
    if (app.querySelector("h1")) {
      observer.disconnect();
      handOver();
    }
  });
  observer.observe(app, {childList: true, subtree: true});
  setTimeout(function () { observer.disconnect(); remove(); }, GIVE_UP_MS);
})();
