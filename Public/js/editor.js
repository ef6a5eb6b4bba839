// The editor's live preview: the server renders the page for the chosen persona into the phone-sized
// frame beside the text, again a moment after every change. Without JavaScript the preview button does
// the same on demand. The publish button says "Planlegg" while the start lies in the future.
(function () {
  "use strict";
  var form = document.getElementById("page-form");
  var button = document.getElementById("preview-button");
  var publish = document.getElementById("publish-button");
  var start = document.getElementById("publish_at");
  if (!form || !button) { return; }
  var timer = null;
  function refresh() {
    timer = null;
    if (form.requestSubmit) { form.requestSubmit(button); } else { button.click(); }
  }
  function later() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(refresh, 400);
  }
  form.addEventListener("input", later);
  form.addEventListener("change", later);
  function label() {
    if (!publish || !start) { return; }
    var when = start.value ? new Date(start.value) : null;
    publish.textContent = when && when.getTime() > Date.now() ? publish.dataset.schedule : publish.dataset.publish;
  }
  if (start) { start.addEventListener("input", label); start.addEventListener("change", label); }
  label();
  refresh();
})();
