// report preview only: poll the builder; reload after a good rebuild, show a failed build's error on top.
(function () {
  var seen = null;
  function overlay(message) {
    var box = document.getElementById("preview-error");
    if (!message) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("pre");
      box.id = "preview-error";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;margin:0;padding:1em;" +
        "background:#fff0f0;color:#8b0000;border-top:4px solid #8b0000;font:14px/1.4 monospace;" +
        "white-space:pre-wrap;z-index:99999";
      document.body.appendChild(box);
    }
    box.textContent = "Build failed (the page below is the last good build):\n\n" + message;
  }
  function poll() {
    fetch("/__preview/status", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (s) {
      if (seen === null) seen = s.generation;
      if (s.generation !== seen && !s.error) { location.reload(); return; }
      overlay(s.error);
      setTimeout(poll, 150);
    }).catch(function () { setTimeout(poll, 500); });
  }
  poll();
})();
