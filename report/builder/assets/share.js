// Copy buttons for each chart's link and embed code (templates/chart.html). Without this script the link and
// the code are plain text in a read-only field, ready to select; the buttons stay hidden.
(function () {
  "use strict";
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.dataset.copy);
    if (!field) return;
    var label = button.textContent;
    button.addEventListener("click", function () {
      field.select();
      var done = function () { button.textContent = "Copied"; setTimeout(function () { button.textContent = label; }, 2000); };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(field.value).then(done, function () { document.execCommand("copy"); done(); });
      } else {
        document.execCommand("copy");
        done();
      }
    });
    button.hidden = false;
  });
})();
