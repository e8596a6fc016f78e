/*
 * Tapalpa incident map, published static page (dashboard/render/publish_map.py). The page
 * shows the view as an inline SVG, painted before any script runs; the interactive map
 * is built when the reader asks for it (the button over the picture: a tap, a click, or
 * Enter/Space), after its stylesheet has loaded, and then replaces the picture. Building
 * it takes half a second of a phone's main thread (Leaflet, the states, the points and
 * their clusters), which a reader who only looks at the picture never pays. Loaded with
 * `defer` after Leaflet and tapalpa-map.js, in the same file; each view's file calls
 * TapalpaSite.run(build).
 */
(function () {
  "use strict";

  function styled(box, then) {
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = box.getAttribute("data-css");
    link.onload = then;
    link.onerror = then;  // unstyled beats no map at all
    document.head.appendChild(link);
  }

  function run(build) {
    var box = document.querySelector(".tim-map");
    if (!box) { return; }
    var started = false;
    function start(event) {
      if (started) { return; }
      started = true;
      var fromKeyboard = event && event.detail === 0;  // a click made by Enter or Space
      box.setAttribute("aria-busy", "true");
      styled(box, function () {
        build();
        ["tim-first", "tim-start"].forEach(function (name) {
          var node = box.querySelector("." + name);
          if (node) { node.parentNode.removeChild(node); }
        });
        box.removeAttribute("aria-busy");
        var map = box.querySelector(".leaflet-container");
        if (fromKeyboard && map) { map.focus(); }
      });
    }
    var button = box.querySelector(".tim-start");
    if (button) {
      button.addEventListener("click", start);
    } else {
      start();
    }
  }

  window.TapalpaSite = {run: run, states: null};
})();
