/*
 * Tapalpa incident map, published static page (dashboard/render/publish_map.py): builds
 * the interactive map once its stylesheet has loaded, then removes the first paint (the
 * inline SVG the page shows before any script runs). Loaded with `defer` after Leaflet
 * and tapalpa-map.js, in the same file; each view's file calls TapalpaSite.run(build).
 */
(function () {
  "use strict";

  function run(build) {
    var box = document.querySelector(".tim-map");
    if (!box) { return; }
    var done = false;
    function start() {
      if (done) { return; }
      done = true;
      build();
      var first = box.querySelector(".tim-first");
      if (first) { first.parentNode.removeChild(first); }
    }
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = box.getAttribute("data-css");
    link.onload = start;
    link.onerror = start;  // unstyled beats no map at all
    document.head.appendChild(link);
  }

  window.TapalpaSite = {run: run, states: null};
})();
