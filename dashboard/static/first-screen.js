/*
 * The first screen's language (dashboard/render/firstscreen.py), run inline before it is
 * parsed: the page's own choice (dashboard/text/i18n.py choose_language): a valid
 * `?lang=`, else the browser's language (Spanish for any es-*), else the default in this
 * script's data-default. An embed (`?embed=true`) shows no first screen (it has no title).
 * Sets <html data-tim-first="es|en|embed">; first-screen.css shows the screen it names.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var query = new URLSearchParams(window.location.search);
  var lang = (query.get("lang") || "").trim().toLowerCase();
  if (lang !== "es" && lang !== "en") {
    var primary = (navigator.language || "").toLowerCase().replace("_", "-").split("-")[0];
    lang = primary === "es" || primary === "en" ? primary : script.getAttribute("data-default");
  }
  var embed = (query.get("embed") || "").toLowerCase() === "true";
  document.documentElement.setAttribute("data-tim-first", embed ? "embed" : lang);
})();
