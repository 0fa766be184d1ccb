// The council explorer. On the index: filter the table as you type or choose, sort it by any column (without
// this script the page is a plain table with every council, in alphabetical order). On a council page: the
// SVG and PNG downloads of each chart, made from the chart as the browser drew it (assets/charts.js); their
// buttons stay hidden until the chart is drawn.
(function () {
  "use strict";

  function save(url, name) {
    var link = document.createElement("a");
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    if (url.indexOf("blob:") === 0) setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  function exportable(container) {
    var figure = container.closest("figure") || container.parentNode;
    figure.querySelectorAll("button[data-export]").forEach(function (button) {
      if (button.dataset.ready) return;
      button.dataset.ready = "true";
      button.addEventListener("click", function () {
        var view = container.vegaView;  // the form drawn now (charts.js redraws on a resize)
        var made = button.dataset.export === "png" ? view.toImageURL("png", 2) :
          view.toSVG().then(function (svg) {
            return URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
          });
        made.then(function (url) { save(url, button.dataset.file); })
          .catch(function (error) { console.warn("chart not exported:", error); });
      });
      button.parentNode.hidden = false;
    });
  }

  document.querySelectorAll("div.chart").forEach(function (container) {
    if (container.vegaView) exportable(container);
  });
  document.addEventListener("chart-drawn", function (event) { exportable(event.target); });
})();

(function () {
  "use strict";
  var table = document.getElementById("council-table");
  var form = document.getElementById("council-filters");
  if (!table || !form) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var count = document.getElementById("council-count");
  var fields = {
    name: document.getElementById("council-name"),
    region: document.getElementById("council-region"),
    grade: document.getElementById("council-grade"),
    trust: document.getElementById("council-trust")
  };

  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[^a-z0-9]+/g, " ").trim();
  }

  function filter() {
    var words = fold(fields.name.value);
    var shown = 0;
    rows.forEach(function (row) {
      var keep = (!words || fold(row.cells[0].textContent).indexOf(words) !== -1) &&
        (!fields.region.value || row.dataset.region === fields.region.value) &&
        (!fields.grade.value || row.dataset.grade === fields.grade.value) &&
        (!fields.trust.value || row.dataset.trust === fields.trust.value);
      row.hidden = !keep;
      if (keep) shown += 1;
    });
    count.textContent = shown === rows.length ? "Showing all " + rows.length + " councils." :
      "Showing " + shown + " of " + rows.length + " councils.";
  }

  function sortBy(header, index) {
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var numeric = header.dataset.sort === "number";
    table.querySelectorAll("thead th").forEach(function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    rows.sort(function (a, b) {
      var x = a.cells[index].dataset.value, y = b.cells[index].dataset.value, order;
      if (numeric) {
        var nx = parseFloat(x), ny = parseFloat(y);
        if (isNaN(nx) !== isNaN(ny)) return isNaN(nx) ? 1 : -1;  // no figure: last either way
        order = isNaN(nx) ? 0 : nx - ny;
      } else {
        order = x.localeCompare(y, "en-GB");
      }
      if (order === 0) order = a.cells[0].dataset.value.localeCompare(b.cells[0].dataset.value, "en-GB");
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  table.querySelectorAll("thead th[data-sort]").forEach(function (header, index) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sort-button";
    button.textContent = header.textContent;
    header.textContent = "";
    header.appendChild(button);
    button.addEventListener("click", function () { sortBy(header, index); });
  });
  table.querySelector("thead th").setAttribute("aria-sort", "ascending");
  Object.keys(fields).forEach(function (key) {
    fields[key].addEventListener(key === "name" ? "input" : "change", filter);
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.hidden = false;
  filter();
})();
