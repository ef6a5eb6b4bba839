// Keeps the till's status line current without a reload. Without JavaScript the page offers a
// refresh link instead; nothing here is needed for the flow to work.
(function () {
  var line = document.querySelector(".pos-status");
  if (!line || !window.fetch) return;
  var done = ["completed", "expired", "failed"];
  function poll() {
    fetch(line.getAttribute("data-status-url"), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (status) {
        if (status) { line.textContent = status.text; line.setAttribute("data-status", status.status); }
        if (!status || done.indexOf(status.status) < 0) setTimeout(poll, 1500);
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  if (done.indexOf(line.getAttribute("data-status")) < 0) setTimeout(poll, 1500);
})();
