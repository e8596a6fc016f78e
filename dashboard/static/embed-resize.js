// The embed (?embed=true, in an article's iframe) tells the article how tall it is, so the
// iframe fits it with no blank band and no scroll bar: it posts
// {"tapalpa-map-height": height in CSS pixels} to the host page whenever its content's height
// changes (a ResizeObserver) and on load. The snippet the share panel gives
// (dashboard/render/share.py, RESIZE_SCRIPT) sets the height of the iframe that sent it.
// Loaded only in embed mode (dashboard/web/sections/embed.py); holds no data. Streamlit
// sanitises st.html with DOMPurify, which drops a script whose text has a "<" followed by
// a letter, digit, "/" or "!": keep every "<" here followed by a space
// (tests/test_share.py checks).
(function () {
  "use strict";
  if (window.parent === window) return; // not in an iframe: nothing to tell
  if (window.__tapalpaEmbedResize) return; // once per page, across reruns
  window.__tapalpaEmbedResize = true;
  var KEY = "tapalpa-map-height";
  var last = 0;

  function content() {
    return document.querySelector('[data-testid="stMainBlockContainer"]') ||
      document.querySelector(".block-container");
  }

  function post() {
    var box = content();
    if (!box) return;
    // The content's own bottom, not the container's: Streamlit stretches the container to
    // the window, which would only ever grow with the iframe.
    var inner = box.firstElementChild || box;
    var pad = parseFloat(getComputedStyle(box).paddingBottom) || 0;
    var height = Math.ceil(inner.getBoundingClientRect().bottom + window.scrollY + pad);
    if (height < 100 || Math.abs(height - last) < 2) return;
    last = height;
    var message = {};
    message[KEY] = height;
    window.parent.postMessage(message, "*"); // a height only: no reader data leaves
  }

  var observer = new ResizeObserver(post);
  function watch() {
    var box = content();
    if (!box) { setTimeout(watch, 100); return; }
    observer.observe(box);
    if (box.firstElementChild) observer.observe(box.firstElementChild);
    post();
  }
  watch();
  window.addEventListener("load", post);
})();
