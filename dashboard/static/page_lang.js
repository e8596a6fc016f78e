// The page's language for screen readers: sets the lang attribute of the Streamlit page and
// of every same-origin frame in it (the map's frame), and keeps doing so as Streamlit redraws.
// The language is read from the element with data-tim-lang that dashboard/app.py
// (page_language) writes next to this script; Streamlit may run the script before that
// element is in the document, so a MutationObserver applies it whenever the page changes.
// No angle brackets anywhere in this file: Streamlit's HTML sanitiser (DOMPurify) drops a
// script whose text looks like markup.
(function () {
  function wanted() {
    var markers = document.querySelectorAll("[data-tim-lang]");
    if (!markers.length) return null;
    return markers[markers.length - 1].getAttribute("data-tim-lang") || null;
  }

  function setFrame(frame, lang) {
    if (frame.getAttribute("lang") !== lang) frame.setAttribute("lang", lang);
    try {
      var doc = frame.contentDocument;
      if (doc && doc.documentElement && doc.documentElement.lang !== lang) {
        doc.documentElement.lang = lang;
      }
    } catch (err) {
      // A cross-origin frame (none of ours): its own page declares its language.
    }
  }

  function hideMarkers() {
    // The marker's element container would leave an empty gap at the top of the page.
    document.querySelectorAll("[data-tim-lang]").forEach(function (marker) {
      var box = marker.closest("[data-testid='stElementContainer']");
      if (box && box.style.display !== "none") box.style.display = "none";
    });
  }

  function apply() {
    var lang = wanted();
    if (!lang) return;
    hideMarkers();
    if (document.documentElement.lang !== lang) document.documentElement.lang = lang;
    document.querySelectorAll("iframe").forEach(function (frame) {
      setFrame(frame, lang);
      if (!frame.__timLangHooked) {
        frame.__timLangHooked = true;
        frame.addEventListener("load", apply);
      }
    });
  }

  if (!window.__timLangObserver) {
    window.__timLangObserver = new MutationObserver(apply);
    window.__timLangObserver.observe(document.body, { childList: true, subtree: true });
  }
  apply();
})();
