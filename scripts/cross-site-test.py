#!/usr/bin/env python3
"""A page on another site attacks a signed-in customer and a till, in headless Chromium.

usage: cross-site-test.py VELKOMMEN_BINARY [SCREENSHOT_DIR]
Starts `velkommen serve` (demo till, simulator) on 127.0.0.1 and a second local server, the attacker's
site, reached as `localhost` (another site to the browser). The victim's browser is signed in as Ada and
has the till open. From the attacker's pages it is sent to:
  - GET /logout (a top-level navigation): Ada stays signed in;
  - Per's fresh callback link (a login the attacker confirmed on their own phone): the browser is asked
    "continue as Per?" and stays Ada;
  - a form that POSTs another store's key to /pos/key: the till keeps its store.
Screenshot: switch-question.png.
"""
import http.server
import os
import subprocess
import sys
import tempfile
import threading

from selenium.webdriver.common.by import By
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, WebDriverException
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, os.path.dirname(__file__))
import flows  # noqa: E402
from browser_test_support import browser, check, free_port  # noqa: E402


class AttackerSite(http.server.ThreadingHTTPServer):
    """Serves `pages` (path → HTML) as another site would."""

    def __init__(self, port, pages):
        self.pages = pages

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(handler):
                body = pages.get(handler.path, "").encode()
                handler.send_response(200 if body else 404)
                handler.send_header("Content-Type", "text/html; charset=utf-8")
                handler.send_header("Content-Length", str(len(body)))
                handler.end_headers()
                handler.wfile.write(body)

            def log_message(handler, *arguments):
                pass

        super().__init__(("127.0.0.1", port), Handler)


def visit(driver, page, base):
    """Opens the attacker's `page` and waits until its script has sent the browser on to Velkommen."""
    driver.get(page)
    WebDriverWait(driver, 10, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException, WebDriverException)).until(lambda d: d.current_url.startswith(base) and d.execute_script("return document.readyState") == "complete")


def main(binary, shots):
    os.makedirs(shots, exist_ok=True)
    folder = tempfile.mkdtemp(prefix="velkommen-cross-site-")
    database = folder + "/v.sqlite"
    other_key = subprocess.run([binary, "apikey", "create", "--store", "s2", "--label", "attacker", "--db", database],
                               check=True, capture_output=True, text=True).stdout.strip()
    server = flows.Server(binary, database, free_port(), folder + "/server.log")
    base = f"http://127.0.0.1:{server.port}"
    attacker_port = free_port()
    evil = f"http://localhost:{attacker_port}"
    pages = {}
    site = AttackerSite(attacker_port, pages)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    victim = None
    try:
        victim = browser()
        victim.get(base + "/callback?code=" + flows.confirmed_code(server, "4712345678"))
        victim.get(base + "/me")
        check("Ada Lovelace" in victim.page_source, "the victim's browser is signed in as Ada")

        pages["/logout.html"] = f'<!doctype html><title>x</title><script>location = "{base}/logout";</script>'
        visit(victim, evil + "/logout.html", base)
        victim.get(base + "/me")
        check("Ada Lovelace" in victim.page_source, "a top-level GET /logout from another site signs nobody out")

        code = flows.confirmed_code(server, "4798765432")
        pages["/switch.html"] = f'<!doctype html><title>x</title><script>location = "{base}/callback?code={code}";</script>'
        visit(victim, evil + "/switch.html", base)
        check("Bytte medlem?" in victim.page_source and "Per" in victim.page_source,
              "another member's callback link from another site asks before switching")
        victim.save_screenshot(f"{shots}/switch-question.png")
        victim.get(base + "/me")
        check("Ada Lovelace" in victim.page_source and "Per Hansen" not in victim.page_source, "the browser is still Ada's")

        victim.get(base + "/pos")
        check(victim.find_element(By.ID, "phone") is not None, "the till is open (demo store)")
        pages["/till.html"] = (f'<!doctype html><title>x</title><form method="post" action="{base}/pos/key">'
                               f'<input name="key" value="{other_key}"></form><script>document.forms[0].submit();</script>')
        visit(victim, evil + "/till.html", base)
        victim.get(base + "/pos")
        check(not any(cookie["name"] == "velkommen_pos" for cookie in victim.get_cookies()),
              "a form on another site cannot swap the till's key")
        print("cross-site: every attack from another origin refused")
    finally:
        if victim:
            victim.quit()
        site.shutdown()
        server.stop()
        subprocess.run(["rm", "-rf", folder])


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "screenshots")
