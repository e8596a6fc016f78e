// Page-side clocks for benchmarks/bench_browser.py. Added as an init script: it runs in
// the top document from its first moment, starts the load watcher and defines the two
// key-press watchers the benchmark installs just before it presses a key.
(() => {
  if (window.top !== window) return;
  const FRAME = 'iframe[src*="streamlit_folium"]';
  const DRAWN = ".leaflet-overlay-pane canvas, .leaflet-overlay-pane svg";
  window.__bench = {};

  const mapBox = () => {
    const frame = document.querySelector(FRAME);
    const doc = frame && frame.contentDocument;
    return doc && doc.querySelector(".leaflet-container");
  };

  // Page load: first frame with the slider, first frame with the map sized and drawn.
  const load = () => {
    if (!window.__bench.slider && document.querySelector('[data-testid="stSlider"]')) {
      window.__bench.slider = performance.now();
    }
    try {
      const box = mapBox();
      if (box && box.clientHeight > 0 && box.querySelector(DRAWN)) {
        window.__bench.map = performance.now();
        return;
      }
    } catch (e) {
      // the frame is between documents: look again next frame
    }
    requestAnimationFrame(load);
  };
  requestAnimationFrame(load);

  const timePress = (press, done) => {
    const poll = () => {
      if (done()) {
        press.t1 = performance.now();
        return;
      }
      requestAnimationFrame(poll);
    };
    const start = () => {
      press.t0 = performance.now();
      requestAnimationFrame(poll);
    };
    document.addEventListener("keydown", start, {capture: true, once: true});
  };

  // Key press → the map shows the new window: its data-window attribute changes, or
  // (without the attribute) the component has rebuilt its Leaflet map and drawn it.
  // Also when the rerun's view of the new window reaches the map (t2: streamlit-folium
  // calls the frame's TapalpaMap.update with it), whether or not the map draws it again.
  window.__benchWatchPress = () => {
    const press = (window.__press = {t0: null, t1: null, t2: null, mode: null});
    const before = mapBox() ? mapBox().getAttribute("data-window") : null;
    const frameWindow = document.querySelector(FRAME).contentWindow;
    const map0 = frameWindow.map;
    const api = frameWindow.TapalpaMap;
    if (api && api.update && !api.__benchSent) {
      const update = api.update;
      api.__benchSent = true;
      api.update = function (m, v) {
        const p = window.__press;
        if (p && p.t0 !== null && p.t2 === null && v && v.window && v.window !== p.before) {
          p.t2 = performance.now();
        }
        return update.apply(this, arguments);
      };
    }
    press.before = before;
    press.mode = before === null ? "re-render" : "data-window";
    timePress(press, () => {
      try {
        const box = mapBox();
        if (before !== null) {
          const now = box && box.getAttribute("data-window");
          return Boolean(now) && now !== before;
        }
        const map = document.querySelector(FRAME).contentWindow.map;
        return Boolean(map && map !== map0 && map._loaded && box && box.querySelector(DRAWN));
      } catch (e) {
        return false;
      }
    });
  };

  // The empty page: key press → its text line no longer shows the old value.
  window.__benchWatchPressEmpty = (before) => {
    const press = (window.__press = {t0: null, t1: null, mode: "text"});
    timePress(press, () => {
      const text = [...document.querySelectorAll('[data-testid="stMarkdownContainer"]')]
        .map((e) => e.innerText)
        .join(" ");
      const shown = text.match(/Window \d+-\d+/);
      return Boolean(shown) && shown[0] !== before;
    });
  };
})();
