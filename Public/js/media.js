// An image over the size limit is refused in the browser, before it is sent: the server stops reading
// an oversized upload at the limit, and a browser still sending a large photo then shows a reset
// connection instead of the editor's message. Without JavaScript the server's own check still holds.
(function () {
  "use strict";
  var input = document.getElementById("image");
  var note = document.getElementById("media-size-error");
  if (!input || !note) { return; }
  var max = parseInt(input.dataset.maxBytes, 10);
  input.addEventListener("change", function () {
    var file = input.files && input.files[0];
    var tooLarge = !!file && file.size > max;
    input.setCustomValidity(tooLarge ? input.dataset.tooLarge : "");
    note.textContent = tooLarge ? input.dataset.tooLarge : "";
    note.hidden = !tooLarge;
    if (tooLarge) { input.reportValidity(); }
  });
})();
