// The share panel's view probe (dashboard/web/view_probe.py): the map writes its centre
// and zoom into the page's address as the reader pans (tapalpa-map.js, writeLink), with
// no rerun; Streamlit's reruns still send the address the page last set. While the share
// panel is open this reads the address and the map's size on screen, and sends them to
// the page when they differ from what it last made the links with (one rerun per change,
// checked twice a second), so the panel's link, snippets and PNG are the view on screen.
// It also gives every copy button of the panel (`.tapalpa-copy`) its click.
export default function (component) {
  const { data, setTriggerValue } = component;
  const frameSize = () => {
    const frame = document.querySelector("iframe[src*='streamlit_folium']");
    if (!frame) { return null; }
    const box = frame.getBoundingClientRect();
    return [Math.round(box.width), Math.round(box.height)];
  };
  const read = () => {
    const params = new URLSearchParams(window.location.search);
    const lat = params.get("lat"), lon = params.get("lon"), zoom = params.get("zoom");
    if (lat === null || lon === null || zoom === null) { return; }
    const size = frameSize();
    const seen = { lat: lat, lon: lon, zoom: zoom, width: size ? size[0] : null, height: size ? size[1] : null };
    const known = data || {};
    if (seen.lat === known.lat && seen.lon === known.lon && seen.zoom === known.zoom &&
        (seen.width === null || (seen.width === known.width && seen.height === known.height))) { return; }
    setTriggerValue("view", seen);
  };
  read();
  const timer = setInterval(read, 500);
  return () => clearInterval(timer);
}
