/*
 * Starts Streamlit's entry script (its address in this script's data-src) once the
 * browser has shown the page's first screen (dashboard/render/firstscreen.py): on the
 * first contentful paint, which the browser reports once the frame is on screen. Put by
 * deploy/serve.py page_document in place of the document's own entry script; the
 * modules it needs are preloaded from the start. Started at once in an embed (no first
 * screen: nothing to wait for), in a browser that reports no paints, and after
 * WAIT_MS in any case.
 */
(function () {
  "use strict";
  var WAIT_MS = 2000;
  var src = document.currentScript.getAttribute("data-src");
  var started = false;
  function start() {
    if (started) { return; }
    started = true;
    var script = document.createElement("script");
    script.type = "module";
    script.crossOrigin = "";
    script.src = src;
    document.head.appendChild(script);
  }
  var Observer = window.PerformanceObserver;
  if (!Observer || !Observer.supportedEntryTypes || Observer.supportedEntryTypes.indexOf("paint") < 0) {
    start();
    return;
  }
  new Observer(function (list, observer) {
    if (list.getEntriesByName("first-contentful-paint").length) {
      observer.disconnect();
      start();
    }
  }).observe({type: "paint", buffered: true});
  document.addEventListener("DOMContentLoaded", function () {
    if (document.documentElement.getAttribute("data-tim-first") === "embed") { start(); }
  });
  setTimeout(start, WAIT_MS);
})();
