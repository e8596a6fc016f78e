// The page's language for screen readers: sets <html lang> on the Streamlit page and on
// every same-origin frame in it (the map's frame), and keeps doing so for frames that
// appear later. The language comes from the element with data-tim-lang, written by
// dashboard/app.py (page_language); Streamlit runs this through st.html.
(function () {
  var marker = document.querySelector("[data-tim-lang]");
  if (!marker) return;
  window.__timLang = marker.getAttribute("data-tim-lang") || "en";

  function setFrame(frame) {
    frame.setAttribute("lang", window.__timLang);
    try {
      var doc = frame.contentDocument;
      if (doc && doc.documentElement) doc.documentElement.lang = window.__timLang;
    } catch (err) {
      // A cross-origin frame (none of ours): its own page declares its language.
    }
  }

  function apply() {
    document.documentElement.lang = window.__timLang;
    document.querySelectorAll("iframe").forEach(function (frame) {
      setFrame(frame);
      if (!frame.__timLangHooked) {
        frame.__timLangHooked = true;
        frame.addEventListener("load", function () { setFrame(frame); });
      }
    });
  }

  apply();
  if (!window.__timLangObserver) {
    window.__timLangObserver = new MutationObserver(apply);
    window.__timLangObserver.observe(document.body, { childList: true, subtree: true });
  }
})();
