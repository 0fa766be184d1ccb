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

  // Exports keep their provenance (as the chapters' files do, report/builder/exports.py): a strip under the chart
  // with its source line, licence and address; the SVG embeds its fonts, the PNG holds the strip's text in iTXt.
  var FAMILY = "sans-serif", SIZE = 12, LINE = 16, PAD = 10, INK = "#3D3D3D";  // FAMILY: the page's (data-family)

  function provenance(figure) {
    var box = figure.querySelector(".chart-actions");
    if (!box || !box.dataset.source) return null;
    FAMILY = box.dataset.family || FAMILY;
    var url = new URL(box.dataset.url, location.href).href;
    return { title: box.dataset.title, source: box.dataset.source, licence: box.dataset.licence, url: url,
             fonts: box.dataset.fonts, lines: [box.dataset.source, box.dataset.licence, "Chart: " + url] };
  }

  function wrapped(info, width) {
    var context = document.createElement("canvas").getContext("2d"), out = [];
    context.font = SIZE + "px '" + FAMILY + "'";
    info.lines.forEach(function (line) {
      var current = "";
      line.split(/\s+/).forEach(function (word) {
        var trial = current ? current + " " + word : word;
        if (current && context.measureText(trial).width > width) { out.push(current); current = word; }
        else current = trial;
      });
      if (current) out.push(current);
    });
    return out;
  }

  function escapeXml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  function fontFace(info, face) {
    return fetch(info.fonts.replace("{face}", face)).then(function (response) { return response.arrayBuffer(); })
      .then(function (buffer) {
        var bytes = new Uint8Array(buffer), text = "";
        for (var i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
        return "@font-face{font-family:\"" + FAMILY + "\";font-weight:" + (face.indexOf("Bold") === 0 ? 700 : 400) +
          ";font-style:" + (/Italic$/.test(face) ? "italic" : "normal") + ";src:url(data:font/woff2;base64," + btoa(text) +
          ") format(\"woff2\")}";
      });
  }

  function svgWithStrip(svg, info) {
    var size = svg.match(/<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/);
    var width = Math.round(parseFloat(size[1])), height = Math.round(parseFloat(size[2]));
    var lines = wrapped(info, width - 2 * PAD), total = height + PAD + LINE * lines.length;
    var faces = ["Regular"].concat(/font-weight="bold"/.test(svg) ? ["Bold"] : [],
                                   /font-style="italic"/.test(svg) ? ["Italic"] : []);
    return Promise.all(faces.map(function (face) { return fontFace(info, face); })).then(function (rules) {
      return '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1" width="' +
        width + '" height="' + total + '" viewBox="0 0 ' + width + " " + total + '"><title>' + escapeXml(info.title) +
        "</title><style>" + rules.join("") + '</style><rect width="' + width + '" height="' + total + '" fill="white"/>' +
        svg.replace(/^<\?xml[^>]*>\s*/, "") + '<g class="provenance" font-family="' + FAMILY + '" font-size="' + SIZE +
        '" fill="' + INK + '">' + lines.map(function (line, i) {
          return '<text x="' + PAD + '" y="' + (height + PAD + LINE * (i + 1) - 4) + '">' + escapeXml(line) + "</text>";
        }).join("") + "</g></svg>";
    });
  }

  var CRC = (function () {
    var table = [];
    for (var n = 0; n < 256; n++) {
      var c = n;
      for (var k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
      table.push(c >>> 0);
    }
    return function (bytes) {
      var crc = 0xFFFFFFFF;
      for (var i = 0; i < bytes.length; i++) crc = table[(crc ^ bytes[i]) & 0xFF] ^ (crc >>> 8);
      return (crc ^ 0xFFFFFFFF) >>> 0;
    };
  })();

  function itxt(key, text) {
    var body = new TextEncoder().encode(key + "\0\0\0\0\0" + text);
    var chunk = new Uint8Array(12 + body.length), view = new DataView(chunk.buffer);
    view.setUint32(0, body.length);
    chunk.set([105, 84, 88, 116], 4);  // "iTXt"
    chunk.set(body, 8);
    view.setUint32(8 + body.length, CRC(chunk.subarray(4, 8 + body.length)));
    return chunk;
  }

  function pngWithStrip(view, info) {
    return view.toCanvas(2).then(function (canvas) {
      var lines = wrapped(info, canvas.width / 2 - 2 * PAD), out = document.createElement("canvas");
      out.width = canvas.width;
      out.height = canvas.height + 2 * (PAD + LINE * lines.length);
      var context = out.getContext("2d");
      context.fillStyle = "white";
      context.fillRect(0, 0, out.width, out.height);
      context.drawImage(canvas, 0, 0);
      context.scale(2, 2);
      context.fillStyle = INK;
      context.font = SIZE + "px '" + FAMILY + "'";
      lines.forEach(function (line, i) { context.fillText(line, PAD, canvas.height / 2 + PAD + LINE * (i + 1) - 4); });
      return new Promise(function (resolve) { out.toBlob(resolve, "image/png"); });
    }).then(function (blob) { return blob.arrayBuffer(); }).then(function (buffer) {
      var png = new Uint8Array(buffer), parts = [png.subarray(0, 33)];
      [["Title", info.title], ["Source", info.source], ["Copyright", info.licence], ["URL", info.url]]
        .forEach(function (pair) { parts.push(itxt(pair[0], pair[1])); });
      parts.push(png.subarray(33));
      return URL.createObjectURL(new Blob(parts, { type: "image/png" }));
    });
  }

  function exportable(container) {
    var figure = container.closest("figure") || container.parentNode;
    var info = provenance(figure);
    figure.querySelectorAll("button[data-export]").forEach(function (button) {
      if (button.dataset.ready) return;
      button.dataset.ready = "true";
      button.addEventListener("click", function () {
        var view = container.vegaView;  // the form drawn now (charts.js redraws on a resize)
        var made = button.dataset.export === "png" ? (info ? pngWithStrip(view, info) : view.toImageURL("png", 2)) :
          view.toSVG().then(function (svg) { return info ? svgWithStrip(svg, info) : svg; }).then(function (svg) {
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
