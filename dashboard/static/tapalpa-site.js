/*
 * Tapalpa incident map, published static page (dashboard/render/publish_map.py). The page
 * shows the view as an inline SVG, painted before any script runs; this small script
 * (the only one the page runs on load) waits for the reader to ask for the interactive
 * map (the button over the picture: a tap, a click, or Enter/Space). It then loads the
 * map's stylesheet and scripts (prefetched by the page while idle, so usually from the
 * cache: Leaflet and its plugins with tapalpa-map.js, the states' outlines, the view),
 * in order; the view's script calls TapalpaSite.run(build), which builds the map once
 * the stylesheet is in and removes the picture. Building the map takes about half a
 * second of a phone's main thread, which a reader who only looks at the picture never
 * pays, and neither does the first view.
 */
(function () {
  "use strict";

  var box = null, styled = false, pending = null, fromKeyboard = false;

  function finish() {
    if (!styled || !pending) { return; }
    var build = pending;
    pending = null;
    build();
    ["tim-first", "tim-first-key", "tim-start"].forEach(function (name) {
      var node = box.querySelector("." + name);
      if (node) { node.parentNode.removeChild(node); }
    });
    box.removeAttribute("aria-busy");
    var map = box.querySelector(".leaflet-container");
    if (fromKeyboard && map) { map.focus(); }
  }

  function load(event) {
    if (box.getAttribute("aria-busy")) { return; }
    fromKeyboard = Boolean(event) && event.detail === 0;  // a click made by Enter or Space
    box.setAttribute("aria-busy", "true");
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = box.getAttribute("data-css");
    link.onload = link.onerror = function () { styled = true; finish(); };  // unstyled beats none
    document.head.appendChild(link);
    box.getAttribute("data-js").split(" ").forEach(function (src) {
      var script = document.createElement("script");
      script.src = src;
      script.async = false;  // run in the listed order
      document.head.appendChild(script);
    });
  }

  // Called by the view's script, after Leaflet, tapalpa-map.js and the outlines.
  function run(build) {
    pending = build;
    finish();
  }

  window.TapalpaSite = {run: run, states: null};
  box = document.querySelector(".tim-map");
  if (!box) { return; }
  var button = box.querySelector(".tim-start");
  if (button) { button.addEventListener("click", load); } else { load(); }
})();
