/*
 * Tapalpa incident map: the map's own behaviour on top of Leaflet 1.9.
 *
 * Python hands over data only:
 *   TapalpaMap.init(map, config)  once, when the map is built (base layers, strings,
 *                                 symbols, the first view);
 *   TapalpaMap.update(map, view)  for every view (time window, filters): incidents,
 *                                 state shading, replay steps, layers, a record to focus.
 * In the Streamlit page the update arrives as a streamlit-folium feature group, evaluated
 * in the map already on screen, so the reader's centre and zoom survive every change.
 * Every string that reaches HTML (popups, tooltips) was escaped in Python; interface text
 * from `config.strings` is set with textContent.
 */
(function () {
  "use strict";
  var HOUR = 3600000;
  var LEGEND_GAP = 10, LEGEND_MIN = 60; // px between the legend and the controls above
  var POPUP_MAX = 340, POPUP_MIN = 160; // px, a popup's content width on a wide map
  var POPUP_EDGE = 8; // px between a popup and the map's edge or a control
  var POPUP_CHROME = 46; // px a popup adds around its content (Leaflet's margins, border)
  // Leaflet's own auto-pan is off: fitPopup pans once the controls are known.
  var POPUP_OPTIONS = {maxWidth: POPUP_MAX, minWidth: POPUP_MIN, autoPan: false};
  var CLICK_MS = 350; // longer than a double-click's two clicks, shorter than a pause
  var TAP_PX = 44; // a symbol's least tap area on a touch screen (WCAG 2.5.5)
  // Leaflet.markercluster's radius: points closer than this group. Well above a group's
  // symbol (30-36 px, TAP_PX on touch), so that groups seldom touch each other.
  var CLUSTER_PX = 60, CLUSTER_TOUCH_PX = 76;
  var LEGEND_SHARE = 1 / 3; // an open legend's most: a third of the map's height
  var LEGEND_OPEN_PX = 320; // the legend opens by itself on maps this wide or wider
  var FREE_FIT_LEAST = 0.4; // a narrow map's first view: the data this much of the map, or more
  var LEGEND_NARROW_SHARE = 1 / 4; // a compact legend's least, where it must scroll
  var KEY_GAP = 8; // px between the key and the controls beside it in the top band
  var KEY_MIN_PX = 180; // the key's least width in the top band
  var COMPACT_MIN_PX = 240; // a compact legend's least width (two columns of short names)
  var SVG = "http://www.w3.org/2000/svg";

  // ------------------------------------------------------------ shapes on the canvas

  function shapePoints(shape, x, y, r) {
    var pts = [];
    var i, a;
    function ring(n, radius, offset) {
      for (i = 0; i < n; i += 1) {
        a = offset + (2 * Math.PI * i) / n;
        pts.push([x + radius * Math.cos(a), y + radius * Math.sin(a)]);
      }
    }
    if (shape === "triangle") { ring(3, r * 1.3, -Math.PI / 2); }
    else if (shape === "triangle-down") { ring(3, r * 1.3, Math.PI / 2); }
    else if (shape === "diamond") { ring(4, r * 1.25, 0); }
    else if (shape === "square") { ring(4, r * 1.2, Math.PI / 4); }
    else if (shape === "hexagon") { ring(6, r * 1.1, 0); }
    else if (shape === "plus") {
      var w = r * 0.45, l = r * 1.2;
      pts = [[x - w, y - l], [x + w, y - l], [x + w, y - w], [x + l, y - w], [x + l, y + w],
        [x + w, y + w], [x + w, y + l], [x - w, y + l], [x - w, y + w], [x - l, y + w],
        [x - l, y - w], [x - w, y - w]];
    }
    return pts;
  }

  // A circle marker (same hit area, same API) drawn as another shape on the canvas.
  var ShapeMarker = L.CircleMarker.extend({
    options: {shape: "circle"},
    _updatePath: function () {
      var renderer = this._renderer;
      var pts = shapePoints(this.options.shape, this._point.x, this._point.y,
        Math.max(this._radius, 1));
      if (!pts.length || !renderer._ctx) { renderer._updateCircle(this); return; }
      if (!renderer._drawing || this._empty()) { return; }
      var ctx = renderer._ctx;
      ctx.beginPath();
      pts.forEach(function (p, i) { if (i) { ctx.lineTo(p[0], p[1]); } else { ctx.moveTo(p[0], p[1]); } });
      ctx.closePath();
      renderer._fillStroke(ctx, this);
    }
  });

  function shapeIcon(shape, fill, stroke, size, dash) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", size);
    svg.setAttribute("height", size);
    svg.setAttribute("viewBox", "0 0 " + size + " " + size);  // scalable (the key's 14 px)
    svg.setAttribute("aria-hidden", "true");
    var c = size / 2, r = size / 2 - 3;
    var el;
    var pts = shapePoints(shape, c, c, shape === "circle" ? r : r * 0.8);
    if (pts.length) {
      el = document.createElementNS(SVG, "polygon");
      el.setAttribute("points", pts.map(function (p) { return p[0].toFixed(1) + "," + p[1].toFixed(1); }).join(" "));
    } else {
      el = document.createElementNS(SVG, "circle");
      el.setAttribute("cx", c); el.setAttribute("cy", c); el.setAttribute("r", r);
    }
    el.setAttribute("fill", fill);
    el.setAttribute("stroke", stroke);
    el.setAttribute("stroke-width", dash ? 2 : 1.5);
    if (dash) { el.setAttribute("stroke-dasharray", dash); }
    svg.appendChild(el);
    return svg;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  // The text of escaped HTML (entities decoded), parsed in an inert document: no script
  // runs and nothing loads.
  function plainText(html) {
    return new DOMParser().parseFromString(html, "text/html").body.textContent;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return k in values ? values[k] : m; });
  }

  // ------------------------------------------------------------ state of one map

  function Tim(map, config) {
    this.map = map;
    this.config = config;
    this.s = config.strings;
    // A page framed by an article (an embed) gets the compact legend at any width: the
    // full one would scroll in the embed's fixed height, hiding most kinds.
    var framed = false;
    try { framed = window.parent !== window.top; } catch (e) { framed = true; }
    this.narrow = map.getSize().x < config.narrow_px || framed;
    if (this.narrow) { map.getContainer().classList.add("tim-narrow-map"); }
    this.touch = Boolean(window.matchMedia && window.matchMedia("(pointer: coarse)").matches);
    // Symbols are drawn on one canvas; on a touch screen a tap within TAP_PX / 2 of a
    // symbol's centre hits it (the smallest symbol's radius is 5 px).
    // The map's one canvas (the states are drawn on it too: a second canvas on top would
    // take every click meant for a state).
    this.renderer = map._renderer ||
      L.canvas({padding: 0.5, tolerance: this.touch ? TAP_PX / 2 - 5 : 0});
    if (!map._renderer) { map.options.renderer = this.renderer; }
    this.filterStates = null; // the state filter's [[cve_ent, name]], null: every state
    this.markers = [];
    this.byId = {};
    this.view = null;
    this.step = null; // null: the whole window; else hours since the window's start
    this.lastLayers = null;
    this.lastFocus = null;
    this.userMoves = false;
  }

  Tim.prototype.styleFor = function (m, state) {
    var cat = this.config.categories[m.cat];
    var base = {radius: m.radius, color: this.config.halo, weight: 1.5, opacity: 1,
      fillColor: cat.colour, fillOpacity: 1, dashArray: null};
    if (state === "span") {
      base.color = cat.colour; base.weight = 2.5; base.fillColor = "#ffffff";
      base.fillOpacity = 0.7; base.dashArray = "4 3";
    } else if (state === "earlier") {
      base.opacity = 0.4; base.fillOpacity = 0.25;
    }
    if (m === this.focused) { base.color = "#000000"; base.weight = 3; base.radius = m.radius + 3; }
    return base;
  };

  Tim.prototype.applyStyle = function (m, state) {
    var style = this.styleFor(m, state);
    m.setRadius(style.radius);
    m.setStyle(style);
  };

  Tim.prototype.buildBase = function () {
    var self = this, map = this.map, config = this.config;
    // Points closer than CLUSTER_PX at this zoom are one symbol with their count; a
    // stack (records at one place) stays one symbol at every zoom and its popup lists
    // each record (openStack).
    this.incidents = L.markerClusterGroup ? L.markerClusterGroup({
      maxClusterRadius: this.touch ? CLUSTER_TOUCH_PX : CLUSTER_PX, showCoverageOnHover: false, zoomToBoundsOnClick: false,
      spiderfyOnMaxZoom: false, removeOutsideVisibleBounds: false, chunkedLoading: false,
      iconCreateFunction: function (cluster) { return self.clusterIcon(cluster); }
    }) : L.featureGroup();
    this.incidents.on("clusterclick", function (e) { self.openCluster(e.layer); });
    // A group is a focusable button (Leaflet's marker keyboard option), but Leaflet opens
    // only a bound popup on Enter and markercluster passes no key events on: Enter or
    // Space on a group does what a tap does (its icon is found among the group's own
    // cluster markers, markercluster's _featureGroup).
    L.DomEvent.on(map.getContainer(), "keydown", function (e) {
      var icon = e.target;
      if ((e.key !== "Enter" && e.key !== " ") || !icon.classList || !icon.classList.contains("tim-cluster")) { return; }
      var group = self.incidents._featureGroup, found = null;
      if (group) { group.eachLayer(function (l) { if (l._icon === icon && l.getAllChildMarkers) { found = l; } }); }
      if (found) { L.DomEvent.preventDefault(e); L.DomEvent.stopPropagation(e); self.openCluster(found, null, true); }
    });
    this.states = L.geoJSON(config.states, {
      style: function () {
        return {fillColor: config.zero, fillOpacity: config.state_fill_opacity,
          color: config.state_edge, weight: 0.8};
      },
      onEachFeature: function (f, layer) {
        layer.on("mouseover", function () { layer.setStyle({weight: 2.5, color: "#1a1a1a"}); });
        layer.on("mouseout", function () { layer.setStyle({weight: 0.8, color: config.state_edge}); });
        layer.on("click", function (e) { self.stateSummary(f.properties.cve_ent, e.latlng); });
      }
    });
    this.stateLayers = {};
    this.states.eachLayer(function (l) { self.stateLayers[l.feature.properties.cve_ent] = l; });
    this.site = L.featureGroup();
    config.site.forEach(function (s) {
      var marker = L.marker([s[0], s[1]], {
        icon: L.divIcon({html: config.site_svg, className: "tim-site", iconSize: [26, 26], iconAnchor: [13, 13]}),
        keyboard: true, title: self.s.site, alt: self.s.site, zIndexOffset: 1000
      }).bindTooltip(s[2]).bindPopup(s[3], POPUP_OPTIONS).addTo(self.site);
      // A focusable role=button: name it after the site. The tooltip arrives HTML-escaped;
      // its text goes in as an attribute value (setAttribute never parses markup).
      var name = plainText(s[2]);
      marker.on("add", function () { marker.getElement().setAttribute("aria-label", name); });
    });
    this.states.addTo(map);
    this.site.addTo(map);
    this.incidents.addTo(map);
    // Each layer of the table (dashboard/render/maplayers.py) by its key, in its order;
    // the layer control names it by strings["layer_" + key].
    this.groups = {states: this.states, site: this.site, incidents: this.incidents};
    var overlays = {};
    config.layers.forEach(function (key) { overlays[self.s["layer_" + key]] = self.groups[key]; });
    this.layerControl = L.control.layers(null, overlays, {collapsed: this.narrow, position: "topright"}).addTo(map);
    // The scale sits under the replay control: the right column is the legend's.
    if (!this.narrow) { L.control.scale({position: "bottomleft"}).addTo(map); }
    if (map.attributionControl) { map.attributionControl.setPrefix(false); }
    this.buildLegend();
    this.buildPlay();
    this.localiseLeaflet();
    this.escapeKeys();
    this.incidents.on("animationend", function () { self.placeStar(); });
    map.on("zoomend moveend viewreset overlayadd", function () { self.placeStar(); });
    // A hover label (a symbol's, a state's sticky one) opened before a drag would stay
    // behind on the moved map, over other places (tester 11e, touch and mouse): closed.
    map.on("dragstart", function () {
      map.eachLayer(function (l) { if (l.closeTooltip) { l.closeTooltip(); } });
    });
    map.on("popupopen", function (e) {
      // A tap opens the marker's hover label too: the popup says more, and the label
      // would run past a phone's map beside it.
      var source = e.popup._source;
      if (source && source.closeTooltip) { source.closeTooltip(); }
      // On a narrow map an open legend under the layer button leaves no room for a popup:
      // it closes (its button stays, one tap opens it again). The key in the top band
      // takes no more room than the buttons beside it: it stays.
      var banded = self.legend && self.legend.getContainer().classList.contains("tim-in-band");
      if (self.narrow && !banded && self.legendBody && !self.legendBody.hidden) { self.setLegendOpen(false); }
      self.fitPopup(e.popup);
    });
  };

  // Leaflet's own controls speak English by default: their titles and accessible names
  // in the map's language (config.strings, from the catalogues).
  function name(node, text) {
    if (!node || !text) { return; }
    node.title = text;
    node.setAttribute("aria-label", text);
  }

  Tim.prototype.localiseLeaflet = function () {
    var zoom = this.map.zoomControl, s = this.s;
    if (zoom) { name(zoom._zoomInButton, s.zoom_in); name(zoom._zoomOutButton, s.zoom_out); }
    this.zoomOnData();
    if (this.layerControl) { name(this.layerControl._layersLink, s.layers); }
  };

  // ------------------------------------------------------------ popups

  // The map's area no control covers, as rectangles relative to the map's box.
  Tim.prototype.controlBoxes = function () {
    var origin = this.map.getContainer().getBoundingClientRect();
    var corners = this.map.getContainer().querySelectorAll(".leaflet-control-container .leaflet-control");
    return Array.prototype.map.call(corners, function (c) { return c.getBoundingClientRect(); })
      .filter(function (r) { return r.width && r.height; })
      .map(function (r) {
        return {left: r.left - origin.left, top: r.top - origin.top,
          right: r.right - origin.left, bottom: r.bottom - origin.top};
      });
  };

  function overlaps(a, b, gap) {
    return a.left < b.right + gap && b.left < a.right + gap &&
      a.top < b.bottom + gap && b.top < a.bottom + gap;
  }

  // A popup as wide as the map allows (a phone's map is narrower than a wide popup),
  // its close button named in the map's language, then moved clear of every control
  // and inside the map: the smallest pan that achieves both. When the popup is taller
  // than the room between the controls, its content scrolls (Leaflet's maxHeight) in the
  // room between the top and the bottom controls, so that it still covers none of them.
  Tim.prototype.fitPopup = function (popup) {
    var map = this.map, size = map.getSize(), o = popup.options;
    o.maxWidth = Math.max(80, Math.min(POPUP_MAX, size.x - 2 * POPUP_EDGE - POPUP_CHROME));
    o.minWidth = Math.min(POPUP_MIN, o.maxWidth);
    o.autoPan = false; // panned below, where the controls are known
    if (map._panAnim) { map._panAnim.stop(); }
    popup.update();
    name(popup._closeButton, this.s.close_popup);
    if (popup._closeButton) { popup._closeButton.removeAttribute("title"); }
    var wrap = popup._container, origin = map.getContainer().getBoundingClientRect();
    if (!wrap) { return; }
    var controls = this.controlBoxes(), e = POPUP_EDGE, box;
    function measure() {
      var r = wrap.getBoundingClientRect();
      box = {left: r.left - origin.left, top: r.top - origin.top,
        right: r.right - origin.left, bottom: r.bottom - origin.top};
    }
    function inside(b) {
      return b.left >= e - 0.5 && b.right <= size.x - e + 0.5 && b.top >= e - 0.5 && b.bottom <= size.y - e + 0.5;
    }
    function shifted(dx, dy) {
      return {left: box.left + dx, right: box.right + dx, top: box.top + dy, bottom: box.bottom + dy};
    }
    function search() {
      var dxs = [0, e - box.left, size.x - e - box.right];
      var dys = [0, e - box.top, size.y - e - box.bottom];
      controls.forEach(function (c) {
        dxs.push(c.left - e - box.right, c.right + e - box.left);
        dys.push(c.top - e - box.bottom, c.bottom + e - box.top);
      });
      var found = null;
      dxs.forEach(function (dx) {
        dys.forEach(function (dy) {
          var b = shifted(dx, dy);
          if (!inside(b) || controls.some(function (c) { return overlaps(b, c, 0); })) { return; }
          var cost = Math.abs(dx) + Math.abs(dy);
          if (!found || cost < found[2]) { found = [dx, dy, cost]; }
        });
      });
      return found;
    }
    measure();
    var best = search();
    var below = e, above = size.y - e;
    controls.forEach(function (c) {
      if (c.top < size.y / 2) { below = Math.max(below, c.bottom + e); } else { above = Math.min(above, c.top - e); }
    });
    if (!best && popup._contentNode) {
      // Too tall for the room: its content scrolls within the room between the controls.
      var content = popup._contentNode, chrome = box.bottom - box.top - content.offsetHeight;
      o.maxHeight = Math.max(80, Math.floor(above - below - chrome));
      popup.update();
      measure();
      best = search();
    }
    if (!best) {
      // Still no room: top edge just below the top controls, left inside the map.
      var dx = Math.max(e - box.left, Math.min(0, size.x - e - box.right));
      best = [dx, below - box.top];
    }
    if (best[0] || best[1]) { this.pagePan([-best[0], -best[1]]); }
  };

  // A pan the page makes itself (a popup making room): never the reader's view (writeLink).
  Tim.prototype.pagePan = function (offset) {
    var was = this.fitting;
    this.fitting = true;
    try { this.map.panBy(offset, {animate: false}); } finally { this.fitting = was; }
  };

  // ------------------------------------------------------------ legend

  Tim.prototype.buildLegend = function () {
    var self = this, s = this.s, config = this.config;
    var Legend = L.Control.extend({
      // On a narrow (portrait) map the legend hangs under the layer button, over the
      // empty north, so that the first view's fit pads one edge, not both.
      options: {position: self.narrow ? "topright" : "bottomright"},
      onAdd: function () {
        // Narrow maps (phones, article-width embeds) get the compact legend, a key
        // (tim-key): the state scale's ends and the short names of the kinds the view
        // draws, in wrapping lines of 11 px, in the top band right of the zoom buttons
        // (fitKey), so that it is open from the start and covers no data.
        var box = el("div", "tim-legend" + (self.narrow ? " tim-compact tim-key" : ""));
        var toggle = el("button", "tim-legend-toggle", s.legend);
        toggle.type = "button";
        var body = el("div", "tim-legend-body");
        body.id = "tim-legend-body";
        // It may scroll (fitLegend caps its height): keyboard readers must reach it.
        body.tabIndex = 0;
        body.setAttribute("role", "group");
        body.setAttribute("aria-label", s.legend);
        toggle.setAttribute("aria-controls", body.id);
        function setOpen(open) {
          toggle.setAttribute("aria-expanded", open ? "true" : "false");
          toggle.textContent = open ? s.legend_hide : s.legend;
          // The compact legend's open button is a "×" in its corner, beside the state
          // scale (no row of its own); its name is still the words, for screen readers.
          toggle.classList.toggle("tim-legend-close", self.narrow && open);
          if (self.narrow && open) {
            toggle.textContent = "";
            toggle.appendChild(el("span", "tim-sr", s.legend_hide));
            var x = el("span", null, "\u00D7");
            x.setAttribute("aria-hidden", "true");
            toggle.appendChild(x);
          }
          body.hidden = !open;
          box.classList.toggle("tim-open", open);
          self.fitLegend();
        }
        toggle.addEventListener("click", function () { setOpen(body.hidden); });
        // Each entry: its symbol, its full name (the accessible text) and, on a narrow map's
        // compact legend, a short one in its place on screen (the CSS shows one of them).
        // The full name (the accessible text), and a short one shown on narrow maps.
        function names(node, long, short) {
          node.appendChild(el("span", "tim-long", long));
          if (short && short !== long) {
            var sh = el("span", "tim-short", short);
            sh.setAttribute("aria-hidden", "true");
            node.appendChild(sh);
            node.classList.add("tim-has-short");
          }
          return node;
        }
        function entry(icon, long, short, key) {
          var li = el("li");
          if (key !== undefined) { li.setAttribute("data-kind", key); }
          li.appendChild(icon);
          return names(li, long, short);
        }
        body.appendChild(names(el("h2", "tim-legend-head"), s.legend_states, s.legend_states_short));
        var ramp = el("div", "tim-ramp");
        self.legendRamp = ramp;
        self.drawRamp((self.view && self.view.ramp) || config.ramp);
        body.appendChild(ramp);
        body.appendChild(el("h2", "tim-legend-head", s.legend_types));
        var types = el("ul", "tim-types tim-kinds");
        config.categories.forEach(function (c, i) {
          types.appendChild(entry(shapeIcon(c.shape, c.colour, config.halo, 16), c.label, c.short, i));
        });
        // The site's star, with the kinds on a narrow map (one more cell of their grid);
        // none on a map without the site (a reader's file).
        if (config.site.length) {
          var siteItem = el("li", "tim-site-item");
          var star = el("span", "tim-star", "\u2605");
          star.setAttribute("aria-hidden", "true");
          siteItem.appendChild(star);
          types.appendChild(names(siteItem, s.site, s.legend_site_short));
        }
        body.appendChild(types);
        self.legendKinds = types;
        body.appendChild(el("h2", "tim-legend-head", s.legend_precision));
        var prec = el("ul", "tim-types tim-precision");
        prec.appendChild(entry(shapeIcon("circle", "#444444", config.halo, 12), s.legend_exact, s.legend_exact_short));
        prec.appendChild(entry(shapeIcon("circle", "#444444", config.halo, 18), s.legend_town, s.legend_town_short));
        prec.appendChild(entry(shapeIcon("circle", "#ffffff", "#444444", 16, "4 3"), s.legend_span, s.legend_span_short));
        var faded = shapeIcon("circle", "#444444", config.halo, 16);
        faded.style.opacity = "0.35";
        prec.appendChild(entry(faded, s.legend_earlier, s.legend_earlier_short));
        body.appendChild(prec);
        body.appendChild(names(el("p", "tim-state-only"), s.legend_state_only, s.legend_state_only_short));
        box.appendChild(toggle);
        box.appendChild(body);
        self.legendBody = body;
        self.setLegendOpen = setOpen;
        // Open from a 360 px screen (a 328 px map) up, a link on chosen states too: on a
        // narrow map the key keeps to the top band the zoom and layer buttons already take
        // from the data (issue 23: a phone reader sees which symbol is which without a tap).
        setOpen(self.map.getSize().x >= LEGEND_OPEN_PX);
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        return box;
      }
    });
    this.legend = new Legend().addTo(this.map);
    // The key's place from the first paint on (fitKey decides once the controls are
    // styled): moved there later, it and the layer button would shift in the reader's view.
    if (this.narrow) {
      var corner = this.legend.getContainer().parentNode;
      corner.insertBefore(this.legend.getContainer(), corner.firstChild);
      this.fitLegend();
    }
  };

  // The state classes follow the counts in view (symbols.state_classes: a year of an
  // analyst's file has thousands per state): each view brings its classes and labels.
  Tim.prototype.drawRamp = function (ramp) {
    var box = this.legendRamp;
    if (!box) { return; }
    while (box.firstChild) { box.removeChild(box.firstChild); }
    ramp.forEach(function (r) {
      var cell = el("span");
      var sw = el("i");
      sw.style.background = r[0];
      cell.appendChild(sw);
      // Its own element: the compact key shows the scale's two ends only (tapalpa-map.css).
      cell.appendChild(el("span", "tim-ramp-label", r[1]));
      box.appendChild(cell);
    });
  };

  // The compact legend (a narrow map) lists only the kinds this view draws as points, so
  // that every entry fits without scrolling; a grid view's cells are no kind: all stay.
  Tim.prototype.showKinds = function (v) {
    if (!this.legendKinds || !this.narrow) { return; }
    var drawn = {};
    this.markers.forEach(function (m) { drawn[m.cat] = true; });
    var points = v.mode === "points";
    Array.prototype.forEach.call(this.legendKinds.querySelectorAll("li[data-kind]"), function (li) {
      li.hidden = points && !drawn[li.getAttribute("data-kind")];
    });
  };

  // The legend (button and body) sits in the bottom-right corner; where it would meet the
  // replay control in the bottom-left one (a narrow map, a long replay status), it stands
  // on top of the replay control's row instead, so neither covers the other. Called by
  // fitLegend, whenever the legend opens or closes or the replay status changes.
  Tim.prototype.placeLegend = function () {
    if (!this.legend || !this.play) { return; }
    var legend = this.legend.getContainer(), play = this.play.box;
    legend.style.marginBottom = "";
    play.style.marginBottom = "";
    var legendTop = this.narrow;  // in the top-right corner (buildLegend)
    // The replay control (bottom left) stays above the basemap credit (bottom right) where
    // a narrow map brings them together: the credit must stay readable.
    var credit = this.map.attributionControl && this.map.attributionControl.getContainer();
    var p = play.getBoundingClientRect();
    var c = credit ? credit.getBoundingClientRect() : null;
    if (c && c.width && p.width && p.right > c.left && p.bottom > c.top) {
      var below = parseFloat(getComputedStyle(play).marginBottom) || 0;
      play.style.marginBottom = Math.ceil(below + p.bottom - c.top + 2) + "px";
    }
    p = play.getBoundingClientRect();
    var l = legend.getBoundingClientRect();
    if (legendTop || !p.width || !l.width) { return; }
    if (p.right + LEGEND_GAP > l.left && p.top < l.bottom + LEGEND_GAP) {
      var margin = parseFloat(getComputedStyle(legend).marginBottom) || 0;
      legend.style.marginBottom = Math.ceil(margin + l.bottom - p.top + LEGEND_GAP) + "px";
    }
  };

  // The open legend grows up from the bottom-right corner: cap its body so its top stays
  // below the top-right controls (the layer control's checkboxes stay clickable), and on
  // any map to LEGEND_SHARE of the map's height (the whole legend), so most of the map
  // stays in view; the body scrolls (with a visible scroll bar) for the rest.
  Tim.prototype.fitLegend = function () {
    var body = this.legendBody;
    this.placeLegend();
    if (!this.legend || !body || body.hidden) { return; }
    if (this.narrow) { this.fitCompactLegend(); return; }
    var origin = this.map.getContainer().getBoundingClientRect();
    var above = 0;
    Array.prototype.forEach.call(this.map._controlCorners.topright.children, function (c) {
      var r = c.getBoundingClientRect();
      if (r.height) { above = Math.max(above, r.bottom - origin.top); }
    });
    body.style.maxHeight = "";
    var box = this.legend.getContainer().getBoundingClientRect();
    var room = (box.bottom - origin.top) - above - LEGEND_GAP - (box.height - body.offsetHeight);
    var cap = parseFloat(getComputedStyle(body).maxHeight) || Infinity;
    cap = Math.min(cap, this.map.getSize().y * LEGEND_SHARE -
      (box.height - body.offsetHeight));
    var height = Math.max(LEGEND_MIN, Math.floor(Math.min(cap, room)));
    body.style.maxHeight = height + "px";
    // max-height leaves out the body's padding: take off whatever still reaches too high.
    var over = above + LEGEND_GAP - (this.legend.getContainer().getBoundingClientRect().top - origin.top);
    if (over > 0) { body.style.maxHeight = Math.max(LEGEND_MIN, height - Math.ceil(over)) + "px"; }
  };

  // The key (a narrow map's legend, open or closed) in the map's top band: first in the
  // top-right corner (the layer button then hangs under it, beside the state filter's
  // chips), from the zoom buttons to the map's right edge, no lower than the zoom buttons.
  // That band is the controls' on every narrow map (fit and fitFree leave it to them),
  // so the key there costs the data nothing. False where it would reach lower or where
  // it or the layer button under it would meet another control: the legend then hangs
  // under the layer button (fitCompactLegend).
  Tim.prototype.fitKey = function () {
    var box = this.legend.getContainer(), body = this.legendBody, corner = box.parentNode;
    var layers = this.layerControl && this.layerControl.getContainer();
    if (!box.classList.contains("tim-key") || !layers || !corner) { return false; }
    // Moving a node blurs it: a keyboard reader's focus on the legend's button stays.
    var focused = box.contains(document.activeElement) ? document.activeElement : null;
    if (corner.firstChild !== box) { corner.insertBefore(box, corner.firstChild); }
    box.style.marginTop = "";
    box.style.maxWidth = "";
    body.style.maxHeight = "none";
    var others = Array.prototype.map.call(this.map._controlCorners.topleft.children, function (c) {
      return c.getBoundingClientRect();
    }).filter(function (r) { return r.width && r.height; });
    var zoom = others.shift();  // the top-left corner's first control: the zoom buttons
    var l = box.getBoundingClientRect();
    var left = zoom ? zoom.right : this.map.getContainer().getBoundingClientRect().left;
    var room = Math.floor(l.right - left - KEY_GAP);
    var fits = room >= KEY_MIN_PX;
    if (fits) {
      box.style.maxWidth = room + "px";
      l = box.getBoundingClientRect();
      var under = layers.getBoundingClientRect();
      fits = (!zoom || l.bottom <= zoom.bottom + KEY_GAP) && body.scrollHeight <= body.clientHeight + 1 &&
        // The layer button may stand right beside the chips (English ones end at 270 of
        // a phone's 328 px map, the button starts there), never on them.
        !others.some(function (r) { return overlaps(l, r, KEY_GAP / 2) || overlaps(under, r, -0.5); });
    }
    if (!fits) { corner.appendChild(box); box.style.maxWidth = ""; }
    box.classList.toggle("tim-in-band", fits);
    if (focused && document.activeElement !== focused) { focused.focus({preventScroll: true}); }
    return fits;
  };

  // Compact legend (narrow map): whole under the layer button, below the top-left
  // controls where they reach under it; it scrolls only if it would meet the replay.
  Tim.prototype.fitCompactLegend = function () {
    var box = this.legend.getContainer(), body = this.legendBody;
    if (this.fitKey()) { return; }
    var left = Array.prototype.filter.call(this.map._controlCorners.topleft.children, function (c) {
      return c.offsetWidth && c.offsetHeight;
    });
    box.style.marginTop = "";
    box.style.maxWidth = "";
    body.style.maxHeight = "none";
    var l = box.getBoundingClientRect();
    // First narrower, beside the top-left controls it would reach (the zoom buttons), so
    // that it stays in the map's top band, off the middle; while no narrower than
    // COMPACT_MIN_PX (two columns of short names) and within LEGEND_SHARE of the area.
    for (var pass = 0; pass < 2; pass += 1) {
      var need = l.left;
      left.forEach(function (c) {
        var r = c.getBoundingClientRect();
        if (r.top < l.bottom + LEGEND_GAP && l.top < r.bottom + LEGEND_GAP) { need = Math.max(need, r.right + LEGEND_GAP); }
      });
      if (need <= l.left || l.right - need < COMPACT_MIN_PX) { break; }
      box.style.maxWidth = Math.floor(l.right - need) + "px";
      l = box.getBoundingClientRect();
    }
    // Narrower is taller: past a third of the map's area, full width below them instead.
    var size = this.map.getSize();
    if (box.style.maxWidth && l.width * l.height > size.x * size.y * LEGEND_SHARE) {
      box.style.maxWidth = "";
      l = box.getBoundingClientRect();
    }
    var margin = parseFloat(getComputedStyle(box).marginTop) || 0, shift = 0;
    // Top-left controls from the top down (the zoom buttons, the filter's chips): the
    // legend goes below each one it would still reach.
    left.forEach(function (c) {
      var f = c.getBoundingClientRect();
      if (!f.width || !f.height) { return; }
      if (f.right + LEGEND_GAP > l.left && f.top < l.bottom + shift && l.top + shift < f.bottom + LEGEND_GAP) {
        shift = f.bottom + LEGEND_GAP - l.top;
      }
    });
    if (shift > 0) {
      box.style.marginTop = Math.ceil(margin + shift) + "px";
      l = box.getBoundingClientRect();
    }
    var p = this.play && this.play.box.offsetWidth ? this.play.box.getBoundingClientRect() : null;
    var over = p ? l.bottom + LEGEND_GAP - p.top : 0;
    if (over > 0) {
      var least = Math.floor(this.map.getSize().y * LEGEND_NARROW_SHARE - (l.height - body.offsetHeight));
      body.style.maxHeight = Math.max(LEGEND_MIN, least, Math.floor(body.offsetHeight - over)) + "px";
    }
  };

  // ------------------------------------------------------------ replay

  // "dom 22 feb, 14:00" / "Sun 22 Feb, 14:00" (the page's Babel pattern "EEE d MMM, HH:mm"),
  // in the map's language (strings.locale, e.g. "es-MX") and Mexico City's clock; with the
  // year ("dom 22 feb 2026, 14:00", Babel's "EEE d MMM y, HH:mm") when the view says so
  // (view.years: the data spans years, or the window lies outside the event's year).
  Tim.prototype.timeLabel = function (t) {
    var years = !!(this.view && this.view.years);
    this.timeFormats = this.timeFormats || {};
    var key = years ? "y" : "n";
    if (!this.timeFormats[key]) {
      var options = {
        timeZone: this.config.timezone, weekday: "short", day: "numeric",
        month: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23"
      };
      if (years) { options.year = "numeric"; }
      this.timeFormats[key] = new Intl.DateTimeFormat(this.s.locale, options);
    }
    var part = {};
    this.timeFormats[key].formatToParts(new Date(t)).forEach(function (p) { part[p.type] = p.value; });
    var clean = function (v) { return (v || "").replace(/\.$/, ""); };
    return clean(part.weekday) + " " + part.day + " " + clean(part.month) +
      (years ? " " + part.year : "") + ", " + part.hour + ":" + part.minute + " " + this.s.tz_label;
  };

  Tim.prototype.buildPlay = function () {
    var self = this, s = this.s;
    var Play = L.Control.extend({
      options: {position: "bottomleft"},
      onAdd: function () {
        var box = el("div", "tim-play leaflet-bar" + (self.narrow ? " tim-narrow" : ""));
        // On a narrow map (a phone) the replay runs the map's whole width: an hour a step.
        if (self.narrow) { box.style.width = (self.map.getSize().x - 20) + "px"; }
        var button = el("button", "tim-play-button");
        button.type = "button";
        var glyph = el("span", null, "\u25B6");
        glyph.setAttribute("aria-hidden", "true");
        button.appendChild(glyph);
        button.setAttribute("aria-label", s.play);
        var range = el("input", "tim-play-range");
        range.type = "range";
        range.min = "0";
        range.step = "1";
        range.setAttribute("aria-label", s.replay_time);
        var all = el("button", "tim-play-all", s.all);
        all.type = "button";
        all.title = s.all_title;
        var label = el("div", "tim-play-label", s.whole);
        label.setAttribute("aria-hidden", "true");
        var status = el("div", "tim-sr");
        status.setAttribute("role", "status");
        status.setAttribute("aria-live", "polite");
        [button, range, all, label, status].forEach(function (n) { box.appendChild(n); });
        self.play = {box: box, button: button, glyph: glyph, range: range, label: label,
          status: status, timer: null, spoken: 0, pending: null};
        button.addEventListener("click", function () { self.togglePlay(); });
        range.addEventListener("input", function () { self.stop(); self.setStep(Number(range.value), "user"); });
        all.addEventListener("click", function () { self.stop(); self.setStep(null, "user"); });
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        return box;
      }
    });
    this.playControl = new Play().addTo(this.map);
  };

  Tim.prototype.steps = function () {
    var v = this.view;
    return v ? Math.max(1, Math.ceil((v.end - v.start) / (v.step || HOUR))) : 1;
  };

  // While playing, at most one announcement every `announce_ms`; otherwise the last
  // change is spoken once the reader pauses (a short debounce).
  Tim.prototype.announce = function (text, playing) {
    var p = this.play;
    clearTimeout(p.pending);
    if (playing) {
      var now = Date.now();
      if (now - p.spoken < this.config.announce_ms) { return; }
      p.status.textContent = text;
      p.spoken = now;
      return;
    }
    p.pending = setTimeout(function () { p.status.textContent = text; p.spoken = Date.now(); }, 700);
  };

  Tim.prototype.stop = function () {
    var p = this.play;
    if (!p.timer) { return; }
    clearInterval(p.timer);
    p.timer = null;
    p.glyph.textContent = "\u25B6";
    p.button.setAttribute("aria-label", this.s.play);
    this.announce(p.label.textContent, false);
  };

  Tim.prototype.togglePlay = function () {
    var self = this, p = this.play, steps = this.steps();
    if (p.timer) { this.stop(); return; }
    p.glyph.textContent = "\u275A\u275A";
    p.button.setAttribute("aria-label", this.s.pause);
    p.spoken = 0;
    this.setStep(this.step === null || this.step >= steps - 1 ? 0 : this.step, "play");
    p.timer = setInterval(function () {
      if (self.step >= steps - 1) { self.stop(); return; }
      self.setStep(self.step + 1, "play");
    }, this.config.step_ms);
  };

  // step: null for the whole window, else an hour index; redraws markers and states.
  Tim.prototype.setStep = function (step, why) {
    var p = this.play, s = this.s, steps = this.steps();
    if (step !== null && step >= steps) { step = null; }
    this.step = step;
    p.range.max = String(steps);
    p.range.value = String(step === null ? steps : step);
    var text;
    if (step === null) {
      this.drawWhole();
      var maybe = this.view ? (this.view.possible || []).length : 0;
      text = maybe ? fill(maybe === 1 ? s.whole_possible_one : s.whole_possible, {n: maybe}) : s.whole;
      p.range.setAttribute("aria-valuetext", s.whole);
    } else {
      var t = this.view.start + step * (this.view.step || HOUR);
      var n = this.drawAt(t);
      var when = this.timeLabel(t);
      p.range.setAttribute("aria-valuetext", when);
      text = when + ": " + fill(n.active === 1 ? s.active_one : s.active, {n: n.active}) +
        (n.span ? "; " + fill(n.span === 1 ? s.span_one : s.span, {n: n.span}) : "");
    }
    p.label.textContent = text;
    // On a narrow map the label shows only during a replay: the whole window needs none.
    var hidden = false;  // on a narrow map it shares the row of ▶ and "Todo"
    var resized = p.label.hidden !== hidden;
    p.label.hidden = hidden;
    if (resized || !this.narrow || step !== null) { this.fitLegend(); } // its height may change
    if (why) { this.announce(text, why === "play"); }
    this.shadeStates(step);
  };

  // The whole window: records known to lie in it drawn filled; those only possibly in it
  // (their day or part of day overlaps the window without lying inside) dashed, apart.
  Tim.prototype.drawWhole = function () {
    var self = this, add = [];
    this.markers.forEach(function (m) {
      if (!self.incidents.hasLayer(m)) { add.push(m); }
      self.applyStyle(m, m.possible ? "span" : "whole");
    });
    this.addAll(add, []);
  };

  // What the map shows for the hour [t, t + 1 h): timed records under way are drawn as
  // active; records known only to the day or part of day are drawn as "some time in this
  // span" (a dashed ring) while their span lasts, never as active; earlier ones fade;
  // nothing is drawn before its span begins.
  // (A day, not an hour, for a long window: the view's `step`.)
  Tim.prototype.drawAt = function (t) {
    var self = this, counts = {active: 0, span: 0}, add = [], remove = [];
    var STEP = (this.view && this.view.step) || HOUR;
    function n(m) { return m.cell ? 0 : 1; }
    this.markers.forEach(function (m) {
      if (m.t0 >= t + STEP) {
        if (self.incidents.hasLayer(m)) { remove.push(m); }
        return;
      }
      if (!self.incidents.hasLayer(m)) { add.push(m); }
      var state;
      if (m.active && m.active[0] < t + STEP && m.active[1] > t) { state = "active"; counts.active += 1; }
      else if (m.t1 <= t) { state = "earlier"; }
      else { state = "span"; counts.span += n(m); }
      m.replayState = state;
      self.applyStyle(m, state);
    });
    this.addAll(add, remove);
    return counts;
  };

  Tim.prototype.shadeStates = function (step) {
    var v = this.view, config = this.config, self = this;
    if (!v) { return; }
    Object.keys(this.stateLayers).forEach(function (code) {
      var n;
      if (step === null) { n = v.states[code] ? v.states[code][0] : 0; }
      else { n = v.replay[code] ? v.replay[code][step] : 0; }
      self.stateLayers[code].setStyle({fillColor: self.colourFor(n)});
      self.stateLayers[code].count = n;
    });
  };

  Tim.prototype.colourFor = function (n) {
    var colour = this.config.zero;
    var bins = (this.view && this.view.bins) || this.config.bins;
    bins.forEach(function (b) { if (n >= b[0]) { colour = b[1]; } });
    return colour;
  };

  // ------------------------------------------------------------ one view

  Tim.prototype.update = function (v) {
    var self = this, config = this.config;
    this.view = v;
    if (v.ramp) { this.drawRamp(v.ramp); }
    this.incidents.clearLayers();
    this.markers = [];
    this.byId = {};
    this.focused = null;
    var possible = {};
    (v.possible || []).forEach(function (id) { possible[id] = true; });
    v.rows.forEach(function (r) {
      var m;
      if (v.mode === "points") {
        var cat = config.type_category[r[2]];
        m = new ShapeMarker([r[1], r[0]], {shape: config.categories[cat].shape, bubblingMouseEvents: false,
          renderer: self.renderer});
        m.cat = cat;
        m.radius = r[3] === 1 ? 5 : 7;
        m.uncertain = r[4] === 1;
        m.t0 = r[5]; m.t1 = r[6];
        m.active = m.uncertain ? null : [r[5], r[6]];  // under way only when timed
        m.bindTooltip(r[7]);
        var links = r[9].map(function (src) {
          return '<a href="' + v.urls[src[0]] + '" target="_blank" rel="noopener noreferrer">' +
            v.labels[src[1]] + "</a>";
        });
        // A record with no link (an ACLED import names outlets only) gets no empty label.
        m.bindPopup("<b>" + config.type_labels[r[2]] + "</b><br>" + r[8] +
          (links.length ? "<br>" + config.sources_html + " " + links.join(" · ") : ""),
          POPUP_OPTIONS);
        m.possible = possible[r[10]] === true;
        self.byId[r[10]] = m;
      } else {
        m = L.circleMarker([r[1], r[0]], {bubblingMouseEvents: false, renderer: self.renderer});
        m.cat = config.categories.length - 1;
        m.radius = Math.min(30, 4 + Math.sqrt(r[2]));
        // A cell: its records' whole span, and the span of those timed to the hour or
        // minute (null if none), the only ones that can make it "under way".
        m.t0 = r[3]; m.t1 = r[4];
        m.active = r[5] === null ? null : [r[5], r[6]];
        m.cell = true;
        m.count = r[2];
        m.bindTooltip(fill(r[2] === 1 ? config.grouped_html_one : config.grouped_html, {n: r[2]}));
      }
      self.markers.push(m);
    });
    this.incidents.addLayers ? this.incidents.addLayers(this.markers) : this.markers.forEach(function (m) { self.incidents.addLayer(m); });
    this.states.eachLayer(function (l) {
      var entry = v.states[l.feature.properties.cve_ent];
      l.unbindTooltip();
      if (entry) { l.bindTooltip(entry[1], {sticky: true}); }
    });
    this.stateKeys(v);
    var layersKey = v.layers.join(",");
    if (layersKey !== this.lastLayers) {
      this.lastLayers = layersKey;
      this.config.layers.forEach(function (key) {
        var on = v.layers.indexOf(key) >= 0, group = self.groups[key];
        if (on && !self.map.hasLayer(group)) { self.map.addLayer(group); }
        if (!on && self.map.hasLayer(group)) { self.map.removeLayer(group); }
      });
    }
    this.play.box.style.display = this.markers.length ? "" : "none";
    this.showFilter(v);
    this.showKinds(v);
    this.stop();
    this.setStep(null, null);
    this.fitLegend();
    if (this.site && this.map.hasLayer(this.states)) { this.states.bringToBack(); }
    if (v.focus && JSON.stringify(v.focus) !== this.lastFocus) {
      this.lastFocus = JSON.stringify(v.focus);
      this.focus(v.focus.id);
      // Chosen in the list under the map: bring the map into the reader's view.
      try {
        if (this.config.live && window.frameElement) {
          window.frameElement.scrollIntoView({block: "start", behavior: "smooth"});
        }
      } catch (e) { /* a cross-origin parent: the map is where it is */ }
    }
    this.writeLink();
    var container = this.map.getContainer();
    container.setAttribute("data-window", v.window);
    container.setAttribute("data-drawn", String(this.markers.length));
    try {
      if (window.frameElement) {
        window.frameElement.setAttribute("data-window", v.window);
        window.frameElement.setAttribute("data-drawn", String(this.markers.length));
      }
    } catch (e) { /* a cross-origin parent: the attribute on the map container remains */ }
  };

  // The symbol on the map that stands for record marker `m`: itself when drawn alone, else
  // its group (markercluster's getVisibleParent knows only icon markers, not the canvas'
  // symbols); null when neither is on the map.
  Tim.prototype.symbolOf = function (m) {
    if (m._map) { return m; }
    return this.incidents.getVisibleParent ? this.incidents.getVisibleParent(m) : null;
  };

  // Add and remove many symbols at once (markercluster re-groups once per batch).
  Tim.prototype.addAll = function (add, remove) {
    var group = this.incidents;
    if (remove.length) { if (group.removeLayers) { group.removeLayers(remove); } else { remove.forEach(function (m) { group.removeLayer(m); }); } }
    if (add.length) { if (group.addLayers) { group.addLayers(add); } else { add.forEach(function (m) { group.addLayer(m); }); } }
    this.placeStar();
  };

  // ------------------------------------------------------------ groups and stacks

  // The records a group of symbols stands for: a grouped-area marker (a cell) its count,
  // a point one. Badges and headings count these, not the symbols.
  function countOf(markers) {
    return markers.reduce(function (sum, m) { return sum + (m.cell ? m.count : 1); }, 0);
  }

  function samePlace(markers) {
    var first = markers[0].getLatLng();
    return markers.every(function (m) { return m.getLatLng().equals(first, 1e-6); });
  }

  // A group's symbol: its count, a ring (a stack at one place: a square), and its name
  // for screen readers in the map's language (Leaflet makes it a focusable button).
  Tim.prototype.clusterIcon = function (cluster) {
    var children = cluster.getAllChildMarkers(), n = countOf(children), stack = samePlace(children);
    var size = this.touch ? TAP_PX : (n < 10 ? 30 : 36);
    var text = fill(n === 1 ? this.s[(stack ? "stack" : "cluster") + "_one"] : this.s[stack ? "stack" : "cluster"], {n: n});
    var html = '<span aria-hidden="true">' + n + '</span><span class="tim-sr">' +
      text.replace(/&/g, "&amp;").replace(/</g, "&lt;") + "</span>";
    return L.divIcon({html: html, className: "tim-cluster" + (stack ? " tim-stack" : ""),
      iconSize: [size, size], iconAnchor: [size / 2, size / 2]});
  };

  // The site's star is drawn above every symbol: on a group's symbol it would hide the
  // count's first digit ("★44" for 244). While it overlaps a group it moves to the
  // nearest spot beside that group (a corner, then a side) that overlaps no group; back
  // on its point otherwise. Run after every regrouping (zoom, pan, symbols changed).
  var STAR_HALF = 13;  // half the star's icon (buildBase)
  var STAR_SPOTS = [[1, -1], [-1, -1], [1, 1], [-1, 1], [0, -1], [0, 1], [1, 0], [-1, 0]];
  Tim.prototype.placeStar = function () {
    var map = this.map, groups = [], layer = this.incidents._featureGroup;
    if (!this.site || !map.hasLayer(this.site)) { return; }
    if (layer && map.hasLayer(this.incidents)) {
      layer.eachLayer(function (l) {
        if (l._icon && l.getAllChildMarkers) {
          var q = map.latLngToLayerPoint(l.getLatLng());
          groups.push({x: q.x, y: q.y, r: l._icon.offsetWidth / 2});
        }
      });
    }
    // A star at (x, y) leaves group g's count whole (it may touch its ring's corner).
    function on(g, x, y) {
      return Math.abs(g.x - x) < g.r + STAR_HALF - 4 && Math.abs(g.y - y) < g.r + STAR_HALF - 4;
    }
    this.site.eachLayer(function (star) {
      var node = star.getElement();
      if (!node) { return; }
      var p = map.latLngToLayerPoint(star.getLatLng()), at = p;
      var under = groups.filter(function (g) { return on(g, p.x, p.y); })[0];
      if (under) {
        var best = null, d = under.r + STAR_HALF - 4;
        STAR_SPOTS.forEach(function (spot) {
          var c = L.point(under.x + spot[0] * d, under.y + spot[1] * d);
          if (groups.some(function (g) { return on(g, c.x, c.y); })) { return; }
          if (!best || c.distanceTo(p) < best.distanceTo(p)) { best = c; }
        });
        at = best || L.point(under.x + d, under.y - d);
      }
      node.style.marginLeft = (at.x - p.x - STAR_HALF) + "px";
      node.style.marginTop = (at.y - p.y - STAR_HALF) + "px";
      node.classList.toggle("tim-site-moved", at !== p);
    });
  };

  // Escape (or the popup's × pressed from the keyboard) closes the open popup (Leaflet
  // does so only while the map's own box has the focus) and gives the focus back to what
  // opened it: a group, a stack, the site, a
  // state's key; the map when that is gone (regrouped) or the popup came from the page.
  Tim.prototype.escapeKeys = function () {
    var self = this, map = this.map, container = map.getContainer();
    map.on("popupopen", function (e) {
      var active = document.activeElement, box = e.popup.getElement();
      self.opener = active && active !== container && container.contains(active) &&
        !(box && box.contains(active)) ? active : null;
      // Its × (Enter, Space or a click while it has the focus) does what Escape does.
      var close = e.popup._closeButton;
      if (close && !close.timFocusBack) {
        close.timFocusBack = true;
        close.addEventListener("click", function () {
          if (document.activeElement !== close) { return; } // a tap: the focus was elsewhere
          var back = self.opener;
          self.opener = null;
          setTimeout(function () { (back && back.isConnected ? back : container).focus(); }, 0);
        }, true); // before Leaflet's own handler removes the popup
      }
    });
    L.DomEvent.on(container, "keydown", function (e) {
      if ((e.key !== "Escape" && e.key !== "Esc") || !map._popup || !map.hasLayer(map._popup)) { return; }
      L.DomEvent.stop(e);
      var back = self.opener;
      self.opener = null;
      map.closePopup();
      (back && back.isConnected ? back : container).focus();
    });
  };

  Tim.prototype.focusIn = function (bounds, old) {
    var t = null;
    (this.incidents._featureGroup || this.incidents).eachLayer(function (l) { if (!t && l._icon && l._icon !== old && bounds.contains(l.getLatLng())) { t = l._icon; } });
    (t || this.map.getContainer()).focus();
  };

  // A tap on a group: a stack (or a group that cannot be taken apart by zooming) lists
  // each record in one popup; any other group zooms to show its points.
  // fromKeyboard: after the zoom, focus the first group or point it held (else the map).
  Tim.prototype.openCluster = function (cluster, first, fromKeyboard) {
    var self = this, map = this.map, markers = cluster.getAllChildMarkers();
    var atMax = map.getZoom() >= map.getMaxZoom() - 0.01;
    if (!first && !samePlace(markers) && !atMax) {
      var bounds = cluster.getBounds();
      if (fromKeyboard) { this.incidents.once("animationend", function () { self.focusIn(bounds, cluster._icon); }); }
      cluster.zoomToBounds({padding: [TAP_PX, TAP_PX]});
      return;
    }
    if (first) { markers = [first].concat(markers.filter(function (m) { return m !== first; })); }
    // The same-place heading (strings.stack) only for records at one point; a group opened
    // on a record it holds (or at the closest zoom) lists records near one another.
    var s = this.s, n = countOf(markers), key = samePlace(markers) ? "stack" : "near";
    var head = "<b>" + fill(n === 1 ? s[key + "_one"] : s[key], {n: n}) + "</b>";
    var items = markers.map(function (m) {
      var popup = m.getPopup && m.getPopup();
      return '<div class="tim-stack-item">' + (popup ? popup.getContent() : "") + "</div>";
    });
    L.popup(POPUP_OPTIONS).setLatLng(cluster.getLatLng())
      .setContent('<div class="tim-stack-list">' + head + items.join("") + "</div>").openOn(map);
  };

  // ------------------------------------------------------------ states: summary, filter

  // A point inside state `code`'s shape (the page finds the state under a point, so the
  // filter button and the chips hand over such a point): the tap itself when given, else
  // the inside point of a grid over its bounds nearest their centre.
  function insideRing(pt, ring) {  // even-odd ray casting
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
      var a = ring[i], b = ring[j];
      if ((a.lat > pt.lat) !== (b.lat > pt.lat) &&
          pt.lng < a.lng + (pt.lat - a.lat) * (b.lng - a.lng) / (b.lat - a.lat)) { inside = !inside; }
    }
    return inside;
  }

  function insideLayer(pt, layer) {
    var rings = [];
    (function walk(list) {
      if (!list.length) { return; }
      if (list[0] instanceof L.LatLng) { rings.push(list); return; }
      list.forEach(walk);
    })(layer.getLatLngs());
    var count = 0;
    rings.forEach(function (ring) { if (insideRing(pt, ring)) { count += 1; } });
    return count % 2 === 1;
  }

  Tim.prototype.stateAnchor = function (code) {
    var layer = this.stateLayers[code];
    if (!layer) { return null; }
    var b = layer.getBounds(), c = b.getCenter(), best = null;
    if (insideLayer(c, layer)) { return c; }
    for (var i = 1; i < 12; i += 1) {
      for (var j = 1; j < 12; j += 1) {
        var pt = L.latLng(b.getSouth() + (b.getNorth() - b.getSouth()) * i / 12,
          b.getWest() + (b.getEast() - b.getWest()) * j / 12);
        if (insideLayer(pt, layer) && (!best || c.distanceTo(pt) < c.distanceTo(best))) { best = pt; }
      }
    }
    return best;
  };

  Tim.prototype.isFiltered = function (code) {
    return Boolean(this.filterStates && this.filterStates.some(function (f) { return f[0] === code; }));
  };

  // A tap on a state: its summary (the hover label's text) and a button that filters
  // the page to it, or takes it out of the filter when it is in it.
  Tim.prototype.stateSummary = function (code, latlng) {
    var self = this, v = this.view, entry = v && v.states[code];
    var box = el("div", "tim-state-summary");
    var text = el("div");
    text.innerHTML = entry ? entry[1] : "";  // escaped in Python (mapstates.state_styles)
    var filtered = this.isFiltered(code);
    var button = el("button", "tim-state-filter", filtered ? this.s.state_unfilter : this.s.state_filter);
    button.type = "button";
    button.addEventListener("click", function () {
      self.map.closePopup();
      self.commitState(code, latlng);
    });
    // The button first: the summary under it may be long (the state's own reports).
    if (this.commit) { box.appendChild(button); }
    box.appendChild(text);
    L.popup(POPUP_OPTIONS).setLatLng(latlng).setContent(box).openOn(this.map);
  };

  // The states are drawn on a canvas, out of reach of a keyboard: each state with records
  // in the view (or in the state filter) gets a focusable button at a point inside it,
  // named after its summary's first lines and shown only while focused; Enter or Space
  // opens the same summary as a tap. Tab goes through them by name.
  Tim.prototype.stateKeys = function (v) {
    var self = this;
    if (!this.keys) {
      this.keys = L.layerGroup();
      this.keys.addTo(this.map);
      this.map.on("overlayremove overlayadd", function () {  // with the states' layer
        var on = self.map.hasLayer(self.states);
        if (on && !self.map.hasLayer(self.keys)) { self.keys.addTo(self.map); }
        if (!on && self.map.hasLayer(self.keys)) { self.map.removeLayer(self.keys); }
      });
    }
    this.keys.clearLayers();
    var shown = Object.keys(this.stateLayers).filter(function (code) {
      var entry = v.states[code];
      return entry && (entry[0] > 0 || self.isFiltered(code));
    }).map(function (code) {
      var lines = v.states[code][1].split("<br>");
      return {code: code, name: plainText(lines[0]), label: plainText(lines.slice(0, 2).join(": "))};
    });
    shown.sort(function (a, b) { return a.name.localeCompare(b.name, document.documentElement.lang || "es"); });
    shown.forEach(function (st) {
      var at = self.stateAnchor(st.code);
      if (!at) { return; }
      var key = L.marker(at, {
        icon: L.divIcon({className: "tim-state-key", html: "", iconSize: [44, 44], iconAnchor: [22, 22]}),
        keyboard: true, title: "", interactive: true, zIndexOffset: -1000, bubblingMouseEvents: false
      });
      key.on("add", function () {
        var node = key.getElement();
        node.setAttribute("aria-label", st.label);
        node.setAttribute("aria-haspopup", "dialog");
        node.removeAttribute("title");
        node.addEventListener("keydown", function (e) {  // as a button: Enter and Space
          if (e.key !== " " && e.key !== "Enter") { return; }
          e.preventDefault();
          e.stopPropagation();
          self.stateSummary(st.code, at);
        });
      });
      key.on("click", function () { self.stateSummary(st.code, at); });
      key.addTo(self.keys);
    });
  };

  // Hand the page a click inside state `code`: the page toggles that state in its filter.
  Tim.prototype.commitState = function (code, latlng) {
    var layer = this.stateLayers[code];
    var point = latlng && layer && insideLayer(latlng, layer) ? latlng : this.stateAnchor(code);
    if (point && this.commit) { this.commit(point); }
  };

  // The state filter on the map: a chip per state ("Jalisco ×": a tap takes it out),
  // the map fitted to them when the filter changes, and when nothing is left to draw a
  // line saying so, the chips being the way back.
  Tim.prototype.showFilter = function (v) {
    var self = this, key = JSON.stringify(v.filter_states || null);
    this.filterStates = v.filter_states || null;
    if (!this.filterControl) {
      var Filter = L.Control.extend({
        options: {position: "topleft"},
        onAdd: function () {
          var box = el("div", "tim-filter");
          L.DomEvent.disableClickPropagation(box);
          L.DomEvent.disableScrollPropagation(box);
          return box;
        }
      });
      this.filterControl = new Filter().addTo(this.map);
    }
    var box = this.filterControl.getContainer();
    box.textContent = "";
    var chips = (this.filterStates || []).filter(function (f) { return self.stateLayers[f[0]]; });
    if (chips.length && this.commit) {
      box.appendChild(el("span", "tim-filter-label", this.s.filtered_to));
      chips.forEach(function (f) {
        var chip = el("button", "tim-chip");
        chip.type = "button";
        chip.appendChild(el("span", null, f[1]));
        var x = el("span", "tim-chip-x", "\u00D7");
        x.setAttribute("aria-hidden", "true");
        chip.appendChild(x);
        chip.setAttribute("aria-label", fill(self.s.chip_remove, {state: f[1]}));
        chip.addEventListener("click", function () { self.commitState(f[0], null); });
        box.appendChild(chip);
      });
    }
    if (!this.markers.length) {
      box.appendChild(el("p", "tim-empty", this.s.empty));
      box.appendChild(el("p", "tim-empty-hint", this.s.empty_hint));
    }
    box.style.display = box.childNodes.length ? "" : "none";
    if (key !== this.lastFilter) {
      var first = this.lastFilter === undefined;
      this.lastFilter = key;
      if (!first && this.built) {
        var bounds = null;
        chips.forEach(function (f) {
          var b = self.stateLayers[f[0]].getBounds();
          bounds = bounds ? bounds.extend(b) : L.latLngBounds(b.getSouthWest(), b.getNorthEast());
        });
        this.fitting = true;
        this.fit(bounds || this.states.getBounds());
        this.fitting = false;
        this.keepReaderView();  // the reader's filter chose it: their view (if they moved)
        this.writeLink();
      }
    }
  };

  // Pan to one record, open its popup and ring it; keep the reader's zoom if closer.
  Tim.prototype.focus = function (id) {
    var m = this.byId[id];
    if (!m) { return; }
    if (!this.map.hasLayer(this.incidents)) { this.map.addLayer(this.incidents); }
    this.focused = m;
    this.setStep(null, null);
    this.map.setView(m.getLatLng(), Math.max(this.map.getZoom(), this.config.focus_zoom), {animate: false});
    var parent = this.symbolOf(m);
    if (parent && parent !== m && parent.getAllChildMarkers) {
      this.openCluster(parent, m);  // in a stack or a group: the list, the record first
      return;
    }
    if (m.bringToFront && m._map) { m.bringToFront(); }
    m.openPopup();
  };

  // ------------------------------------------------------------ the first view, the link

  // Fit the bounds inside the area no control covers: controls sit in the corners, so
  // pad by each corner control that would overlap the fitted box, and fit again.
  Tim.prototype.fit = function (bounds) {
    var self = this, map = this.map, size = map.getSize();
    // Room for half a symbol (a group's, TAP_PX on touch) between the data and an edge.
    var edge = this.touch ? TAP_PX / 2 + 4 : 20;
    if (this.narrow && this.fitFree(bounds, edge)) { return; }
    var pad = {top: edge, bottom: edge, left: edge, right: edge};
    for (var pass = 0; pass < 3; pass += 1) {
      map.fitBounds(bounds, {paddingTopLeft: [pad.left, pad.top],
        paddingBottomRight: [pad.right, pad.bottom], animate: false});
      var sw = map.latLngToContainerPoint(bounds.getSouthWest());
      var ne = map.latLngToContainerPoint(bounds.getNorthEast());
      var box = {left: sw.x, right: ne.x, top: ne.y, bottom: sw.y};
      var changed = false;
      var corners = map.getContainer().querySelectorAll(".leaflet-control-container .leaflet-control");
      var origin = map.getContainer().getBoundingClientRect();
      Array.prototype.forEach.call(corners, function (c) {
        var r = c.getBoundingClientRect();
        if (!r.width || !r.height) { return; }
        var x0 = r.left - origin.left, x1 = r.right - origin.left;
        var y0 = r.top - origin.top, y1 = r.bottom - origin.top;
        if (x1 <= box.left || x0 >= box.right || y1 <= box.top || y0 >= box.bottom) { return; }
        var top = y0 < size.y / 2, left = x0 < size.x / 2;
        // Never more than a third of the map per side: the data must keep room (on a
        // narrow map, where the open legend and the replay share the bottom, 55 %).
        var most = self.narrow ? 0.55 : null;
        var needV = Math.min((top ? y1 : size.y - y0) + edge, size.y * (most || 0.3));
        var needH = Math.min((left ? x1 : size.x - x0) + edge, size.x * (most || 0.35));
        var vside = top ? "top" : "bottom", hside = left ? "left" : "right";
        var vertical;
        if (self.narrow) {
          // The direction that leaves the data drawn largest (the box keeps its shape).
          var bw = Math.max(1, box.right - box.left), bh = Math.max(1, box.bottom - box.top);
          var scale = function (p) {
            return Math.min((size.x - p.left - p.right) / bw, (size.y - p.top - p.bottom) / bh);
          };
          var pv = Object.assign({}, pad), ph = Object.assign({}, pad);
          pv[vside] = Math.max(pv[vside], needV);
          ph[hside] = Math.max(ph[hside], needH);
          vertical = scale(pv) >= scale(ph);
        } else {
          // Move the box past the control along the cheaper direction: tall controls (an
          // open legend) push it sideways, wide ones (the replay bar) up or down.
          var tall = (y1 - y0) > size.y / 3, wide = (x1 - x0) > size.x * 0.45;
          vertical = wide || (!tall && needV <= needH);
        }
        var side = vertical ? vside : hside;
        var need = vertical ? needV : needH;
        if (need > pad[side]) { pad[side] = need; changed = true; }
      });
      if (!changed) { break; }
    }
    this.freeArea = pad;
  };

  // A narrow map (a phone, an article's column) has little room beside its controls: the
  // bounds go into the largest rectangle no control covers (its sides on the map's edges
  // or the controls' edges), the one that draws them largest. False when no rectangle
  // draws them at FREE_FIT_LEAST of the map's width or height (fit then pads as on a
  // wide map).
  Tim.prototype.fitFree = function (bounds, edge) {
    var map = this.map, size = map.getSize();
    // The bounds' size in pixels at the zoom fitBounds would choose, without drawing
    // the map there (a fit redraws every symbol).
    var zoom = map.getBoundsZoom(bounds, false);
    var sw = map.project(bounds.getSouthWest(), zoom), ne = map.project(bounds.getNorthEast(), zoom);
    var bw = Math.max(1, ne.x - sw.x), bh = Math.max(1, sw.y - ne.y);
    var controls = this.controlBoxes();
    var lefts = [0], rights = [size.x], tops = [0], bottoms = [size.y];
    controls.forEach(function (c) {
      lefts.push(c.right); rights.push(c.left); tops.push(c.bottom); bottoms.push(c.top);
    });
    var best = null;
    lefts.forEach(function (l) {
      rights.forEach(function (r) {
        if (r - l <= 2 * edge) { return; }
        tops.forEach(function (t) {
          bottoms.forEach(function (b) {
            if (b - t <= 2 * edge) { return; }
            var rect = {left: l, right: r, top: t, bottom: b};
            if (controls.some(function (c) { return overlaps(rect, c, -0.5); })) { return; }
            var scale = Math.min((r - l - 2 * edge) / bw, (b - t - 2 * edge) / bh);
            var room = (r - l) * (b - t);
            if (!best || scale > best.scale + 1e-9 || (Math.abs(scale - best.scale) <= 1e-9 && room > best.room)) {
              best = {scale: scale, room: room, rect: rect};
            }
          });
        });
      });
    });
    // Drawn smaller than FREE_FIT_LEAST of the map each way (a whole country beside an
    // open legend on a phone): the corners' controls may cover its empty corners instead.
    if (!best || (best.scale * bw < size.x * FREE_FIT_LEAST && best.scale * bh < size.y * FREE_FIT_LEAST)) {
      return false;
    }
    var pad = {left: best.rect.left + edge, top: best.rect.top + edge,
      right: size.x - best.rect.right + edge, bottom: size.y - best.rect.bottom + edge};
    map.fitBounds(bounds, {paddingTopLeft: [pad.left, pad.top],
      paddingBottomRight: [pad.right, pad.bottom], animate: false});
    this.freeArea = pad;
    return true;
  };

  // The live page's map is drawn anew when the reader changes the language (its legend
  // and controls are in it), and Python never learns the centre and zoom (no rerun per
  // pan). So the map keeps them in the tab's sessionStorage, with the session's first view
  // they belong to: a new map of the same session opens where the reader left it; a new
  // link (another first view) opens as it says.
  var SAVED_VIEW = "tapalpa-map-view";

  Tim.prototype.saveView = function () {
    if (!this.config.live) { return; }
    try {
      var v = this.readerView();
      window.sessionStorage.setItem(SAVED_VIEW, JSON.stringify({
        initial: this.config.initial || {}, center: [v.center.lat, v.center.lng], zoom: v.zoom
      }));
    } catch (e) { /* storage refused: the map opens on its first view */ }
  };

  // The reader's own view: the centre and zoom after the reader's last move (moveend
  // outside a pan the page made itself: a fit, a popup making room), else the map's.
  Tim.prototype.readerView = function () {
    return this.readerAt || {center: this.map.getCenter(), zoom: this.map.getZoom()};
  };

  Tim.prototype.keepReaderView = function () {
    if (this.fitting || !this.userMoves) { return; }
    this.readerAt = {center: this.map.getCenter(), zoom: this.map.getZoom()};
  };

  Tim.prototype.savedView = function () {
    if (!this.config.live) { return null; }
    try {
      var saved = JSON.parse(window.sessionStorage.getItem(SAVED_VIEW) || "null");
      if (saved && JSON.stringify(saved.initial) === JSON.stringify(this.config.initial || {})) {
        return saved;
      }
    } catch (e) { /* unreadable: ignore */ }
    return null;
  };

  Tim.prototype.firstView = function () {
    var initial = this.config.initial || {};
    var saved = this.savedView();
    if (saved) {
      this.map.setView(saved.center, saved.zoom, {animate: false});
      this.userMoves = true; // the reader's own view: keep it, and keep it in the address
      this.readerAt = {center: L.latLng(saved.center), zoom: saved.zoom};
      return;
    }
    if (initial.center && initial.zoom) {
      this.freeArea = null;
      this.map.setView(initial.center, this.regionZoom(initial), {animate: false});
      return;
    }
    var bounds = null, self = this;
    if (initial.states && initial.states.length) {
      initial.states.forEach(function (code) {
        var l = self.stateLayers[code];
        if (!l) { return; }
        bounds = bounds ? bounds.extend(l.getBounds()) : L.latLngBounds(l.getBounds().getSouthWest(), l.getBounds().getNorthEast());
      });
    }
    this.fit(bounds || this.states.getBounds());
  };

  // A link's centre and zoom were seen on a map of `initial.screen` (CSS px): on a
  // narrower or shorter map (an embed in a phone's article column) zoom out until that
  // whole region is in view, never in; without a size, the link's zoom as it is.
  Tim.prototype.regionZoom = function (initial) {
    var zoom = initial.zoom, seen = initial.screen, map = this.map, size = map.getSize();
    if (!seen || !(seen[0] > 0 && seen[1] > 0) || !size.x || !size.y) { return zoom; }
    if (size.x >= seen[0] && size.y >= seen[1]) { return zoom; }
    var c = map.project(initial.center, zoom), half = L.point(seen[0] / 2, seen[1] / 2);
    var region = L.latLngBounds(map.unproject(c.subtract(half), zoom), map.unproject(c.add(half), zoom));
    return Math.min(zoom, map.getBoundsZoom(region, false));
  };

  // "+" and "−" zoom on the middle of the area the first view fitted the data into (the
  // part no control covers), not on the container's middle, which an open legend or the
  // replay bar may cover (the data sit beside it).
  Tim.prototype.zoomOnData = function () {
    var self = this, map = this.map, zoom = map.zoomControl;
    if (!zoom) { return; }
    function around(delta) {
      return function (e) {
        if (e) { L.DomEvent.stop(e); }
        if (zoom._disabled) { return; }
        var target = Math.max(map.getMinZoom(), Math.min(map.getMaxZoom(), map.getZoom() + delta * (e && e.shiftKey ? 3 : 1)));
        if (target === map.getZoom()) { return; }
        var a = self.freeArea, size = map.getSize();
        var point = a ? L.point((a.left + size.x - a.right) / 2, (a.top + size.y - a.bottom) / 2) : size.divideBy(2);
        map.setZoomAround(point, target);
      };
    }
    // The buttons' handlers were bound when the control was built: swap them.
    [[zoom._zoomInButton, zoom._zoomIn, 1], [zoom._zoomOutButton, zoom._zoomOut, -1]].forEach(function (b) {
      if (!b[0]) { return; }
      L.DomEvent.off(b[0], "click", b[1], zoom);
      L.DomEvent.on(b[0], "click", around(b[2] * (map.options.zoomDelta || 1)));
    });
  };

  // Keep the page's address a permalink for the centre and zoom, without a rerun: the
  // page's own script never learns them (no rerun per pan), the address bar does.
  Tim.prototype.writeLink = function () {
    if (!this.config.live || !this.userMoves) { return; }
    this.saveView();
    try {
      var top = window.parent;
      if (!top || top === window) { return; }
      var url = new URL(top.location.href);
      var view = this.readerView(), c = view.center;
      url.searchParams.set("lat", c.lat.toFixed(4));
      url.searchParams.set("lon", c.lng.toFixed(4));
      // The zoom as it is (quarter steps, zoomSnap 0.25), at most two decimals: "5.5", "6"
      // (permalink.py's format_zoom writes the same; parse_zoom reads both).
      url.searchParams.set("zoom", String(Math.round(view.zoom * 100) / 100));
      // …and the map's size they were seen at (permalink.py's `size`): a smaller map
      // opening the link zooms out to keep that region in view (regionZoom).
      var size = this.map.getSize();
      url.searchParams.set("size", Math.round(size.x) + "x" + Math.round(size.y));
      if (url.href !== top.location.href) { top.history.replaceState(top.history.state, "", url.href); }
    } catch (e) { /* a parent we may not touch: the share panel still gives a link */ }
  };

  // GestureHandling toggles dragging on the map's mouseover/mouseout, which Leaflet also
  // fires at each state's edge: mid-drag that ended the drag and the release clicked the
  // state. Only the pointer entering or leaving the map's box may do that.
  function hoverOnlyAtTheEdge(map, handler) {
    L.DomEvent.off(map, "mouseover", handler._handleMouseOver, handler);
    L.DomEvent.off(map, "mouseout", handler._handleMouseOut, handler);
    var box = map.getContainer();
    box.addEventListener("mouseenter", function (e) { handler._handleMouseOver(e); });
    box.addEventListener("mouseleave", function (e) { handler._handleMouseOut(e); });
  }

  // streamlit-folium reports every map click at once as `last_clicked`, and the page
  // toggles the state under it. Hold a click until it is known to be a single one: a
  // second click or a double-click zoom within `click_ms` drops it, and a click that
  // ends a drag (pointer moved more than a few pixels since it went down) never counts.
  // A tap on the map no longer filters at once: a state's tap opens its summary, whose
  // button (or a chip) commits the click, through the function returned here.
  function guardClicks(map) {
    var global = window.__GLOBAL_DATA__;
    if (!global) { return null; }  // not the Streamlit page: nothing reports clicks
    var committed = global.lat_lng_clicked, timer = null, down = null;
    var seq = 0;
    function commit(latlng) {
      // A new value each time (streamlit-folium sends only a change): a micro-degree apart.
      seq += 1;
      committed = {lat: latlng.lat + (seq % 5) * 1e-6, lng: latlng.lng};
      global.lat_lng_clicked = committed;
      map.fire("overlayadd", {layer: null});  // streamlit-folium's hook to send its value
    }
    map.on("mousedown", function (e) { down = e.containerPoint; });
    map.on("click", function (e) {
      var moved = down && e.containerPoint && down.distanceTo(e.containerPoint) > 4;
      // After streamlit-folium's own listener has stored the click, put the last real
      // one back: only the timer below hands a click over.
      setTimeout(function () { global.lat_lng_clicked = committed; }, 0);
      clearTimeout(timer);
      timer = null;
      if (moved || (map.dragging && map.dragging.moved())) { return; }
    });
    map.on("dblclick", function () { clearTimeout(timer); timer = null; });
    return commit;
  }

  // Data the live page publishes as static files (states geometry, the points of a
  // data version): fetched once per URL and shared by every map in the window.
  var fetched = {};
  function load(url) {
    if (!fetched[url]) {
      fetched[url] = fetch(url, {credentials: "same-origin"}).then(function (r) {
        if (!r.ok) { throw new Error(url + ": HTTP " + r.status); }
        return r.json();
      });
    }
    return fetched[url];
  }

  var live = [];  // the live maps in this window (previewed on the slider's move)
  function init(map, config) {
    var tim = new Tim(map, config);
    map._tim = tim;
    if (config.live) { live.push(map); }
    tim.seq = 0;
    if (map.gestureHandling && config.gesture) {
      map.options.gestureHandlingOptions = {text: config.gesture, duration: 1500};
      map.gestureHandling.enable();
      hoverOnlyAtTheEdge(map, map.gestureHandling);
    }
    tim.commit = guardClicks(map);
    map.getContainer().setAttribute("aria-label", config.strings.map_label);
    map.getContainer().setAttribute("role", "region");
    if (config.states_url) {
      load(config.states_url).then(function (states) {
        config.states = states;
        start(tim);
      }, function (e) { console.error("TapalpaMap:", e); });
    } else {
      start(tim);  // a snapshot carries its geometry: built at once
    }
    return tim;
  }

  function start(tim) {
    var map = tim.map, config = tim.config;
    tim.buildBase();
    // The first view, again whenever the map's size or its controls' styles settle
    // (stylesheets load asynchronously), until the reader moves the map. Fitting redraws
    // every symbol and regroups them (a phone's longest task after the page's own): it
    // is skipped when the map's size and its controls' boxes, all the fit depends on,
    // are those of the last fit.
    var fitted = null;
    function refit() {
      tim.fitLegend();
      if (tim.userMoves) { return; }
      var size = map.getSize();
      var key = JSON.stringify([size.x, size.y, tim.controlBoxes()]);
      if (key === fitted) { return; }
      fitted = key;
      tim.fitting = true;
      tim.firstView();
      tim.fitting = false;
    }
    refit();
    map.on("movestart", function () { if (!tim.fitting) { tim.userMoves = true; } });
    map.on("moveend", function () {
      if (tim.fitting) { return; }  // the page's own pan: not the reader's view
      tim.keepReaderView();
      tim.writeLink();
    });
    map.on("resize", refit);
    [100, 400, 1200].forEach(function (ms) { setTimeout(refit, ms); });
    // Streamlit rewrites the address from what Python knows whenever the page's link
    // changes (a new window, a filter); put the reader's centre and zoom back after it.
    if (config.live) { setInterval(function () { tim.writeLink(); }, 1000); }
    // The view's symbols in a task of their own: the browser paints the base map and
    // handles input in between. A view arriving meanwhile replaces the pending one.
    setTimeout(function () {
      tim.built = true;
      if (tim.pending) {
        var view = tim.pending;
        tim.pending = null;
        tim.update(view);
      }
    }, 0);
  }

  // A view names its points by position in a published catalogue (live page) or carries
  // them (snapshots, large data). The newest view wins if a fetch is still under way.
  //
  // A live page's view also carries, in `next`, the views of the windows one slider stop
  // away ("start,end": the positions of the slider's two ends): preview() draws one of
  // them as soon as the reader moves the slider (page.js), before the page's rerun; the
  // rerun's view, made by the same function, then confirms it and is not drawn again
  // when it is the same.
  function update(map, view, previewing) {
    var tim = map._tim;
    if (!tim) { return; }
    var following = view.next || null;
    if (following) {
      view = Object.assign({}, view);
      delete view.next;
    }
    // Compared only where previews happen (a view with neighbours, a preview): a large
    // view (grid cells, an uploaded file's points) is not turned back into text.
    var text = following || previewing ? JSON.stringify(view) : null;
    tim.next = following || {};
    tim.base = view;
    if (text !== null && text === tim.shownText) { return; }  // drawn already: a preview
    tim.shownText = text;
    var seq = (tim.seq += 1);
    function apply(v) {
      if (seq !== tim.seq) { return; }
      if (tim.built) { tim.update(v); } else { tim.pending = v; }
    }
    if (!view.catalogue) { apply(view); return; }
    load(view.catalogue).then(function (cat) {
      var v = Object.assign({}, view, {urls: cat.urls, labels: cat.labels,
        rows: view.ids.map(function (i) { return cat.rows[i]; })});
      apply(v);
    }, function (e) { console.error("TapalpaMap:", e); });
  }

  // The slider moved to stop positions `key` ("start,end"): draw that window's view at
  // once when the page sent it (update's `next`, each as render/mapview.py view_change
  // makes it from the view sent with it); true when drawn.
  function preview(map, key) {
    var tim = map && map._tim;
    var change = tim && tim.built && tim.next && tim.next[key];
    if (!change) { return false; }
    var base = tim.base, following = tim.next, view = change.view;
    if (!view) {
      view = Object.assign({}, base, change.set);
      Object.keys(change.patch).forEach(function (field) {
        view[field] = Object.assign({}, base[field], change.patch[field]);
      });
    }
    update(map, view, true);
    // A second step before the rerun: the neighbours and their base stay this view's.
    tim.next = following;
    tim.base = base;
    return true;
  }

  // page.js (the page around the map frame) posts {tapalpaWindow: "start,end"}.
  window.addEventListener("message", function (e) {
    var key = e.data && e.data.tapalpaWindow;
    if (typeof key !== "string" || e.source !== window.parent) { return; }
    live.forEach(function (map) { preview(map, key); });
  });

  window.TapalpaMap = {init: init, update: update, preview: preview, ShapeMarker: ShapeMarker,
    plainText: plainText, insideLayer: insideLayer};
})();
