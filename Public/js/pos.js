// The till's status screen: keeps the one big state current (waiting, registered, cancelled, expired,
// failed), counts down to the login's expiry, and returns to an empty phone field a while after the
// login has ended (unless a new member's welcome offer waits to be redeemed). Without JavaScript the page offers a refresh link; nothing here is needed for the flow.
(function () {
  var screen = document.querySelector(".till[data-status-url]");
  if (!screen || !window.fetch) return;
  var heading = screen.querySelector(".till-heading");
  var text = screen.querySelector(".till-text");
  var clock = screen.querySelector(".till-clock");
  var next = screen.querySelector(".till-next");
  var refresh = screen.querySelector(".no-script-refresh");
  if (refresh) refresh.hidden = true;
  var deadline = Date.now() + 1000 * Number(screen.getAttribute("data-seconds-left") || 0);
  var ended = false;
  var settled = false;

  function show(status) {
    // Who joined (and their welcome offer) is drawn by the server: fetch the page once it is known.
    if (status.member && !screen.querySelector(".till-member")) { window.location.reload(); return; }
    screen.className = "till till-" + status.state;
    screen.setAttribute("data-state", status.state);
    if (heading.textContent !== status.heading) heading.textContent = status.heading;
    text.textContent = status.text;
    deadline = Date.now() + 1000 * status.secondsLeft;
    if (status.state !== "waiting") end();
    // A registered customer may still answer the questions: the screen says so until it returns.
    settled = status.state !== "waiting" && (status.state !== "registered" || status.status === "completed");
  }

  function end() {
    if (ended) return;
    ended = true;
    screen.querySelectorAll("form, .till-binding, .till-countdown").forEach(function (element) {
      if (!element.closest(".till-member")) element.hidden = true;
    });
    if (next) next.hidden = false;
    // A welcome offer waiting to be redeemed stays on the screen until the cashier moves on.
    if (!screen.querySelector(".till-member form")) setTimeout(function () { window.location.assign("/pos"); }, 10000);
  }

  function tick() {
    if (ended || !clock) return;
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    clock.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
    setTimeout(tick, 1000);
  }

  function poll() {
    if (settled) return;
    fetch(screen.getAttribute("data-status-url"), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (status) {
        if (status) show(status);
        if (!settled) setTimeout(poll, 500);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }

  if (screen.getAttribute("data-state") !== "waiting") end();
  tick();
  setTimeout(poll, 500);
})();
