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
//  - A link before the map, shown while it has the keyboard focus, moves the focus past
//    the map's tab stops to a mark right after it (data-skip-map, data-after-map).
//  - A map frame whose own page or streamlit-folium's script did not load gets a message
//    and a link that reloads the page in the map's place (data-map-failed, -reload);
//    inside a frame that did load, map-fallback.js watches the map's own files.
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
    skipLink(data);
    document.querySelectorAll(FRAME).forEach(function (frame) { checkFrame(frame, data); });
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

  // The skip link goes right before the map's container (data-map-box: the page's or the
  // embed's) and its mark right after it; both are out of the flow (page.css) until
  // focused, so the layout does not move. Put back if a rerun drops them.
  const SKIP_MAP = "tim-skip-map";
  const AFTER_MAP = "tim-after-map";
  function skipLink(data) {
    const box = data.mapBox && document.querySelector("." + data.mapBox);
    if (!box || !box.parentNode || !data.skipMap) return;
    let link = document.getElementById(SKIP_MAP);
    if (!link || link.nextElementSibling !== box) {
      if (link) link.remove();
      link = document.createElement("a");
      link.id = SKIP_MAP;
      link.className = SKIP_MAP;
      link.href = "#" + AFTER_MAP;
      box.parentNode.insertBefore(link, box);
    }
    if (link.textContent !== data.skipMap) link.textContent = data.skipMap;
    let after = document.getElementById(AFTER_MAP);
    if (!after || after.previousElementSibling !== box) {
      if (after) after.remove();
      after = document.createElement("span");
      after.id = AFTER_MAP;
      after.className = AFTER_MAP;
      after.tabIndex = -1;
      box.parentNode.insertBefore(after, box.nextSibling);
    }
    if (after.textContent !== data.afterMap) after.textContent = data.afterMap;
  }
  function skipMap(event) {
    const link = event.target.closest && event.target.closest("#" + SKIP_MAP);
    if (!link) return;
    event.preventDefault();  // no "#..." in the address: the permalink stays as it is
    const after = document.getElementById(AFTER_MAP);
    if (after) {
      after.focus({preventScroll: true});
      after.scrollIntoView({block: "nearest"});
    }
  }

  // The map's frame, once its document has loaded: streamlit-folium's script defines
  // window.Streamlit as it runs, before the load event; a frame without it (its page or
  // script failed: a 404) would stay an empty box. Its document is the page's origin.
  function checkFrame(frame, data) {
    if (frame.dataset.timChecked) return;
    let win, doc;
    try { win = frame.contentWindow; doc = frame.contentDocument; } catch (e) { return; }
    if (!win || !doc || doc.readyState !== "complete" || doc.URL === "about:blank") return;
    frame.dataset.timChecked = "1";
    if (win.Streamlit || !doc.body) return;
    const box = doc.createElement("div");
    box.className = "tim-map-failed";
    box.setAttribute("role", "alert");
    box.style.cssText = "padding:24px;font:16px/1.5 system-ui,sans-serif;color:#222;" +
      "background:#f4f4f2;border:1px solid #999;";
    const message = doc.createElement("p");
    message.style.margin = "0 0 12px";
    message.textContent = data.mapFailed || "";
    const reload = doc.createElement("a");
    reload.href = window.location.href;
    reload.target = "_top";
    reload.style.color = "#0b5394";
    reload.textContent = data.mapReload || "";
    reload.addEventListener("click", function (event) {
      event.preventDefault();
      window.location.reload();
    });
    box.appendChild(message);
    box.appendChild(reload);
    doc.body.textContent = "";
    doc.body.appendChild(box);
    // Streamlit keeps a component's frame hidden (display: none) behind a grey loading
    // box until its code says it is ready, which it never will: the frame, shown as tall
    // as that box, takes its place.
    const holder = frame.parentElement;
    const room = holder ? holder.offsetHeight : 0;
    if (holder) {
      Array.prototype.forEach.call(holder.children, function (node) {
        if (node !== frame) node.style.display = "none";
      });
    }
    frame.style.display = "block";
    frame.style.height = Math.max(room, 160) + "px";
  }
  function frameLoaded(event) {
    const frame = event.target;
    if (!frame.matches || !frame.matches(FRAME)) return;
    const source = document.getElementById("tapalpa-page");
    delete frame.dataset.timChecked;  // a new document in the frame: look again
    if (source) checkFrame(frame, source.dataset);
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
  document.addEventListener("click", skipMap);
  document.addEventListener("load", frameLoaded, true);  // a frame's load does not bubble
  window.__tapalpaTitleObserver = new MutationObserver(apply);
  window.__tapalpaTitleObserver.observe(document.body, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ["title", "data-map-title", "aria-label"],
  });
})();
