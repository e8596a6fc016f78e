// Gives the map's iframe a title that says what it shows (Streamlit titles a component's
// frame after the component, "streamlit_folium.st_folium"). The title text comes from
// Python in the data-map-title attribute of #tapalpa-page; this file holds no data.
(function () {
  "use strict";
  const FRAME = 'iframe[src*="streamlit_folium"]';

  function apply() {
    const source = document.getElementById("tapalpa-page");
    const title = source && source.getAttribute("data-map-title");
    if (!title) return;
    document.querySelectorAll(FRAME).forEach(function (frame) {
      if (frame.getAttribute("title") !== title) frame.setAttribute("title", title);
    });
  }

  apply();
  if (window.__tapalpaTitleObserver) return; // one observer per page, across reruns
  window.__tapalpaTitleObserver = new MutationObserver(apply);
  window.__tapalpaTitleObserver.observe(document.body, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ["title", "data-map-title"],
  });
})();
