// Replace each chart's static SVG (if any) with the interactive Vega view once the runtime has loaded.
// Specs are compiled to Vega at build time, so this needs only vega.View and vega.parse. A chart may carry
// two compiled forms: the desktop one and its phone form (report/builder/narrow.py), drawn when the chart's
// container is narrower than NARROW_BELOW px; the choice is made again when the container is resized (a
// phone turned on its side), and the view redrawn only when the form changes.
(function () {
  "use strict";
  if (!window.vega || !window.vega.View) return;
  var NARROW_BELOW = 600;  // px of container; site.css shows the phone form's static SVG below 39rem of viewport
  var tooltip = window.vega.Handler ? new window.vega.Handler({ theme: "light" }).call : undefined;

  function form(container) {
    var narrow = container.querySelector("script.chart-spec-narrow");
    return narrow && container.clientWidth < NARROW_BELOW ? narrow : container.querySelector("script.chart-spec");
  }

  function view(specNode, target) {
    // ast + interpreter: Vega evaluates expressions without eval, as the page's CSP requires
    return new window.vega.View(window.vega.parse(JSON.parse(specNode.textContent), undefined, {ast: true}), {
      renderer: "svg", container: target, hover: true, tooltip: tooltip,
      expr: window.vega.expressionInterpreter
    });
  }

  function show(container, target, drawn) {
    var old = container.querySelector(".chart-live");
    if (old) old.replaceWith(target); else container.appendChild(target);
    container.querySelectorAll(".chart-static, .chart-static-narrow").forEach(function (node) { node.remove(); });
    if (container.vegaView) container.vegaView.finalize();
    container.classList.add("chart-interactive");
    container.vegaView = drawn;  // for pages that export the drawn chart themselves
    container.dispatchEvent(new CustomEvent("chart-drawn", { bubbles: true }));
  }

  // The phone form was fitted to 340 px with one set of data (a page provider's chart to one of its pages'): a
  // drawing that came out wider than its container has its plot narrowed by the difference.
  function narrowed(container, target, drawn, tries) {
    var svg = target.querySelector("svg");
    var excess = svg ? parseFloat(svg.getAttribute("width")) - container.clientWidth : 0;
    var width;
    try { width = drawn.signal("width"); } catch (error) { return null; }  // stacked views: none to narrow
    if (!(excess > 0) || !(width > 80) || tries === 0) return null;
    drawn.signal("width", Math.max(80, width - excess));
    return drawn.runAsync().then(function () { return narrowed(container, target, drawn, tries - 1); });
  }

  function draw(container) {
    var specNode = form(container);
    if (!specNode || specNode === container.chartForm) return;
    container.chartForm = specNode;
    var target = document.createElement("div");
    target.className = "chart-live";
    target.setAttribute("aria-hidden", "true");
    var drawn;
    try {
      drawn = view(specNode, target);
    } catch (error) {
      console.warn("chart kept static:", error);
      return;
    }
    drawn.runAsync().then(function () {
      return specNode.classList.contains("chart-spec-narrow") ? narrowed(container, target, drawn, 3) : null;
    }).then(function () {
      if (container.chartForm !== specNode) { drawn.finalize(); return; }  // resized again meanwhile
      show(container, target, drawn);
    }).catch(function (error) { console.warn("chart kept static:", error); });
  }

  var charts = document.querySelectorAll("div.chart");
  charts.forEach(draw);
  if (!window.ResizeObserver) return;
  var waiting = false;
  var observer = new ResizeObserver(function () {
    if (waiting) return;
    waiting = true;
    window.requestAnimationFrame(function () { waiting = false; charts.forEach(draw); });
  });
  charts.forEach(function (container) { observer.observe(container); });
})();
