// Replace each chart's static SVG (if any) with the interactive Vega view once the runtime has loaded.
// Specs are compiled to Vega at build time, so this needs only vega.View and vega.parse.
(function () {
  "use strict";
  if (!window.vega || !window.vega.View) return;
  var tooltip = window.vega.Handler ? new window.vega.Handler({ theme: "light" }).call : undefined;

  function draw(container) {
    var specNode = container.querySelector("script.chart-spec");
    if (!specNode) return;
    var target = document.createElement("div");
    target.className = "chart-live";
    target.setAttribute("aria-hidden", "true");
    var view;
    try {
      // ast + interpreter: Vega evaluates expressions without eval, as the page's CSP requires
      view = new window.vega.View(window.vega.parse(JSON.parse(specNode.textContent), undefined, {ast: true}), {
        renderer: "svg", container: target, hover: true, tooltip: tooltip,
        expr: window.vega.expressionInterpreter
      });
    } catch (error) {
      console.warn("chart kept static:", error);
      return;
    }
    view.runAsync().then(function () {
      var staticView = container.querySelector(".chart-static");
      container.appendChild(target);
      if (staticView) staticView.remove();
      container.classList.add("chart-interactive");
      container.vegaView = view;  // for pages that export the drawn chart themselves
      container.dispatchEvent(new CustomEvent("chart-drawn", { bubbles: true }));
    }).catch(function (error) { console.warn("chart kept static:", error); });
  }

  document.querySelectorAll("div.chart").forEach(draw);
})();
