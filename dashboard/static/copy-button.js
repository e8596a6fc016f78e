// A copy button for the share panel's link and embed codes (dashboard/web/copy_button.py):
// copies `data.text` to the clipboard and says so on the button for two seconds. Without
// the Clipboard API (an http page that is not localhost) it selects a hidden text area
// and uses the older copy command. Sends nothing to the page: no rerun.
export default function (component) {
  const { data, parentElement } = component;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "tapalpa-copy";
  button.textContent = data.label;
  const status = document.createElement("span");
  status.setAttribute("role", "status");
  status.className = "tapalpa-copy-status";
  const fallback = (text) => {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    let done = false;
    try { done = document.execCommand("copy"); } catch (e) { done = false; }
    area.remove();
    return done;
  };
  let timer = null;
  button.addEventListener("click", () => {
    const said = (ok) => {
      status.textContent = ok ? data.done : "";
      button.setAttribute("data-copied", ok ? "true" : "false");
      clearTimeout(timer);
      timer = setTimeout(() => { status.textContent = ""; }, 2000);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(data.text).then(() => said(true), () => said(fallback(data.text)));
    } else {
      said(fallback(data.text));
    }
  });
  parentElement.appendChild(button);
  parentElement.appendChild(status);
  return () => { clearTimeout(timer); button.remove(); status.remove(); };
}
