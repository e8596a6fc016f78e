// The page's own touches on Streamlit's frame. The texts come from Python in the data-*
// attributes of #tapalpa-page (dashboard/web/sections/map.py, map_frame_title); this file
// holds no data. No angle brackets in this file: Streamlit's HTML sanitiser (DOMPurify)
// drops a script whose text looks like markup.
//  - The map's iframe gets a title that says what it shows (Streamlit titles a
//    component's frame after the component, "streamlit_folium.st_folium") and, as its
//    accessible description, the view's summary under it (#tim-map-summary).
//  - Streamlit's skip link and sidebar buttons get names in the page's language.
//  - A button with data-tim-open-filters (under the map) opens the sidebar's filters.
//  - A move of the time slider is posted to the map frame, which draws that window at
//    once when it holds its view (tapalpa-map.js, preview).
(function () {
  "use strict";
  const FRAME = 'iframe[src*="streamlit_folium"]';
  const SUMMARY = "tim-map-summary";

  function setAttr(node, name, value) {
    if (node && value && node.getAttribute(name) !== value) node.setAttribute(name, value);
  }

  function apply() {
    const source = document.getElementById("tapalpa-page");
    if (!source) return;
    const data = source.dataset;
    const described = document.getElementById(SUMMARY) ? SUMMARY : null;
    document.querySelectorAll(FRAME).forEach(function (frame) {
      setAttr(frame, "title", data.mapTitle);
      setAttr(frame, "aria-describedby", described);
    });
    const skip = document.querySelector('[data-testid="stSkipToContent"]');
    if (skip && data.skip && skip.textContent !== data.skip) skip.textContent = data.skip;
    setAttr(document.querySelector('[data-testid="stExpandSidebarButton"]'), "aria-label", data.openFilters);
    document.querySelectorAll('[data-testid="stSidebarCollapseButton"] button').forEach(function (b) {
      setAttr(b, "aria-label", data.closeFilters);
    });
    document.body.dataset.timMode = data.mode || "page";
    nameGrids();
    translateChrome(data.chrome);
  }

  // Streamlit's English accessible names and tooltips (Streamlit 1.67), by the keys of
  // sections/map.py STREAMLIT_NAMES; a "{name}" stands for the rest of the text.
  const STREAMLIT = {
    remove: "Remove {name}",
    clear: "Clear all",
    columns: "Show/hide columns",
    csv: "Download as CSV",
    search: "Search",
    fullscreen: "Fullscreen",
    close_fullscreen: "Close fullscreen",
    help: "Help for {name}",
    heading_link: "Link to heading",
  };
  // Streamlit's English texts (not names), by the same keys: a list box's line when
  // nothing matches what was typed.
  const STREAMLIT_TEXT = {no_results: "No results"};

  // Those names in the page's language: data-chrome gives each key's text (none on an
  // English page).
  function translateChrome(json) {
    let given;
    try { given = JSON.parse(json || "{}"); } catch (e) { return; }
    const names = {};
    Object.keys(given).forEach(function (k) { if (STREAMLIT[k]) names[STREAMLIT[k]] = given[k]; });
    translateTexts(given);
    const keys = Object.keys(names);
    if (!keys.length) return;
    document.querySelectorAll("[aria-label], [title]").forEach(function (node) {
      ["aria-label", "title"].forEach(function (attr) {
        const value = node.getAttribute(attr);
        if (!value) return;
        keys.forEach(function (key) {
          const at = key.indexOf("{name}");
          if (at === -1) {
            if (value === key) node.setAttribute(attr, names[key]);
          } else if (value.startsWith(key.slice(0, at)) && value.length !== at) {
            node.setAttribute(attr, names[key].replace("{name}", value.slice(at)));
          }
        });
      });
    });
  }

  // A text node is changed in place (its nodeValue), so React keeps the node it made.
  function translateTexts(given) {
    Object.keys(STREAMLIT_TEXT).forEach(function (k) {
      if (!given[k]) return;
      document.querySelectorAll('[role="option"] span').forEach(function (span) {
        const node = span.firstChild;
        if (node && node.nodeType === Node.TEXT_NODE && span.childNodes.length === 1
            && node.nodeValue === STREAMLIT_TEXT[k]) node.nodeValue = given[k];
      });
    });
  }

  // Streamlit's data grids have no name: each is named after the heading above it (the
  // section it belongs to), so a screen reader says which table it entered.
  function nameGrids() {
    const headings = Array.from(document.querySelectorAll(
      '[data-testid="stMain"] h1, [data-testid="stMain"] h2, [data-testid="stMain"] h3'));
    document.querySelectorAll('[data-testid="stDataFrame"] [role="grid"], [data-testid="stDataFrame"] [role="table"]').forEach(function (grid) {
      let name = "";
      headings.forEach(function (h) {
        if (h.compareDocumentPosition(grid) === Node.DOCUMENT_POSITION_FOLLOWING) name = h.textContent.trim();
      });
      setAttr(grid, "aria-label", name);
    });
  }

  function openFilters(event) {
    const button = event.target.closest && event.target.closest("[data-tim-open-filters]");
    if (!button) return;
    const expand = document.querySelector('[data-testid="stExpandSidebarButton"]');
    if (expand) {
      expand.click();
    }
    setTimeout(function () {
      const first = document.querySelector('[data-testid="stSidebar"] input, [data-testid="stSidebar"] [role="slider"]');
      if (first) first.focus();
    }, 300);
  }

  // The time slider moved (a key press, a drag): tell the map which stops its two ends
  // are at ("start,end"), so that it draws that window at once if the page sent it
  // (tapalpa-map.js, preview); the rerun the slider asks for then confirms it.
  // Streamlit's slider sets its inputs' values itself (no input event on a key press):
  // their aria-valuetext, which it sets with them, is watched. Only a move the reader
  // made on the slider (a key or a pointer on it in the last READER_MOVE_MS) is told:
  // the reset button moves it too, with other filters the map's previews do not have.
  const READER_MOVE_MS = 2000;
  let lastKey = null;
  let touched = -Infinity;
  function sliderBox(node) {
    const source = document.getElementById("tapalpa-page");
    if (!source || !source.dataset.slider || !node || !node.closest) return null;
    return node.closest("." + source.dataset.slider);
  }
  function touch(event) {
    if (sliderBox(event.target)) touched = performance.now();
  }
  function sliderMoved(target) {
    if (!target || target.type !== "range") return;
    const box = sliderBox(target);
    if (!box) return;
    const ends = box.querySelectorAll('input[type="range"]');
    if (ends.length !== 2) return;
    const key = ends[0].value + "," + ends[1].value;
    if (key === lastKey) return;
    lastKey = key;
    if (performance.now() - touched > READER_MOVE_MS) return;
    document.querySelectorAll(FRAME).forEach(function (frame) {
      if (frame.contentWindow) frame.contentWindow.postMessage({tapalpaWindow: key}, "*");
    });
  }

  // Streamlit's skip link goes to the top of main (the language buttons, headings'
  // links, then the map): ours (data-skip names it) puts the focus in the map's frame, on
  // its map (Leaflet's focusable container, where the arrow keys pan), so the next Tab
  // is on the map's own controls and symbols. The frame is the page's own origin.
  function skipToMap(event) {
    const link = event.target.closest && event.target.closest('[data-testid="stSkipToContent"]');
    const frame = link && document.querySelector(FRAME);
    if (!frame) return;
    event.preventDefault();
    event.stopPropagation();
    frame.scrollIntoView({block: "start"});
    frame.focus();
    try {
      const map = frame.contentDocument.querySelector(".leaflet-container");
      if (map) map.focus({preventScroll: true});
    } catch (e) { /* another origin: the frame itself keeps the focus */ }
  }

  apply();
  if (window.__tapalpaTitleObserver) return; // one observer per page, across reruns
  document.addEventListener("click", openFilters);
  ["keydown", "pointerdown", "pointerup"].forEach(function (type) {
    document.addEventListener(type, touch, true);
  });
  new MutationObserver(function (changes) {
    sliderMoved(changes[changes.length - 1].target);
  }).observe(document.body, {subtree: true, attributes: true, attributeFilter: ["aria-valuetext"]});
  document.addEventListener("click", skipToMap, true);
  window.__tapalpaTitleObserver = new MutationObserver(apply);
  window.__tapalpaTitleObserver.observe(document.body, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ["title", "data-map-title", "aria-label"],
  });
})();
