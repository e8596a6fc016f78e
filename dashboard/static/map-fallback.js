// Runs first in the map's frame (render/mapfallback.py puts it before Leaflet, as a
// data: URI). When a script or stylesheet of the map fails to load (a 404 from a cold
// replica, a proxy that refuses it), the map's place gets a message and a link that
// reloads the page (window.TIM_FALLBACK: the texts in the page's language), instead of
// an empty box. Styled inline: the map's own stylesheet may be the file that failed.
(function () {
  "use strict";
  var text = window.TIM_FALLBACK || {};
  var shown = false;

  function show() {
    if (shown) { return; }
    shown = true;
    var box = document.createElement("div");
    box.className = "tim-map-failed";
    box.setAttribute("role", "alert");
    box.style.cssText = "box-sizing:border-box;height:100%;min-height:120px;padding:24px;" +
      "font:16px/1.5 system-ui,sans-serif;color:#222;background:#f4f4f2;border:1px solid #999;";
    var message = document.createElement("p");
    message.style.margin = "0 0 12px";
    message.textContent = text.failed || "The map could not be loaded.";
    var reload = document.createElement("a");
    reload.textContent = text.reload || "Reload the page";
    reload.target = "_top";
    var here = "";
    try { here = window.top.location.href; } catch (e) { here = document.referrer; }
    reload.href = here || ".";
    reload.style.color = "#0b5394";
    reload.addEventListener("click", function (event) {
      try { window.top.location.reload(); event.preventDefault(); } catch (e) { /* the link */ }
    });
    box.appendChild(message);
    box.appendChild(reload);
    var place = document.getElementById("map_div");
    if (place) {
      place.textContent = "";
      place.appendChild(box);
    } else {
      document.body.insertBefore(box, document.body.firstChild);
    }
    document.documentElement.setAttribute("data-tim-map-failed", "");
    // streamlit-folium sizes its frame only once the map is built: the frame would stay
    // 0 px tall. Its Streamlit object (window.Streamlit) sizes it to the map's height.
    var height = Math.max(place ? place.offsetHeight : 0, box.offsetHeight, 160);
    if (window.Streamlit && window.Streamlit.setFrameHeight) { window.Streamlit.setFrameHeight(height); }
  }

  // Resource errors do not bubble: they are seen on the way down (capture).
  window.addEventListener("error", function (event) {
    var node = event.target;
    if (node && (node.tagName === "SCRIPT" || node.tagName === "LINK")) { show(); }
  }, true);
})();
