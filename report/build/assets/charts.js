// Replace each chart's static SVG with the interactive Vega view once the library has loaded.
(function () {
  "use strict";
  function draw(container) {
    var specNode = container.querySelector("script.chart-spec");
    if (!specNode || typeof vegaEmbed === "undefined") return;
    var spec = JSON.parse(specNode.textContent);
    var target = document.createElement("div");
    target.className = "chart-live";
    target.setAttribute("aria-hidden", "true");
    vegaEmbed(target, spec, { mode: "vega", renderer: "svg", actions: false })
      .then(function () {
        var staticView = container.querySelector(".chart-static");
        if (staticView) staticView.remove();
        container.appendChild(target);
        container.classList.add("chart-interactive");
      })
      .catch(function (error) { console.warn("chart kept static:", error); });
  }
  document.querySelectorAll(".chart").forEach(draw);
})();
