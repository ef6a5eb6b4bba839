#!/usr/bin/env python3
"""How long the cashier waits: from the phone's Confirm to the till's screen saying "… er registrert".

usage: till-latency.py BIN_DIR [LOGINS]
Starts `velkommen serve` (its simulator, rate limits off: one machine plays every customer) and a
desktop-sized headless Chromium as the till. For each login (default 20): the till starts it, the
simulated phone confirms (its consent screen answered too) and its browser follows the redirect to the
callback and the welcome page, as a phone would, after 1 to 3 seconds of the customer finding the phone;
the clock starts at the Confirm and stops when the
till's heading says "registrert". Prints p50, p90 and the maximum.
"""
import os
import random
import re
import statistics
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import flows  # noqa: E402
from browser_test_support import browser  # noqa: E402
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, WebDriverException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


IGNORED = (NoSuchElementException, StaleElementReferenceException, WebDriverException)


def confirm_and_land(server, msisdn):
    """The phone: Confirm (and the consent screen), then its browser follows Vipps' redirect. Returns the
    time of the Confirm."""
    _, _, page = flows.request(server.sim_port, "GET", f"/phone/{msisdn}")
    action = re.search(rf'action="(/phone/{msisdn}/logins/[^"]+/confirm)"', page).group(1)
    pressed = time.monotonic()
    status, headers, body = flows.request(server.sim_port, "POST", action, [])
    if status == 200 and 'name="consent"' in body:
        consents = re.search(r'action="([^"]+/consents)"', body).group(1)
        status, headers, _ = flows.request(server.sim_port, "POST", consents, [("consent", "sms")])
    code = urllib.parse.parse_qs(urllib.parse.urlparse(headers["location"][0]).query)["code"][0]
    _, headers, _ = flows.request(server.port, "GET", f"/callback?code={code}")
    cookie = flows.cookie_pair(headers, "velkommen_session")
    flows.request(server.port, "GET", "/welcome", headers={"Cookie": cookie})
    return pressed


def till_state(driver):
    """The till screen's state, read in one script call: no element reference to go stale while the page changes."""
    return driver.execute_script("var screen = document.querySelector('.till'); return screen && screen.getAttribute('data-state');")


def main(bin_dir, logins):
    folder = tempfile.mkdtemp(prefix="velkommen-till-latency-")
    server = flows.Server(os.path.join(bin_dir, "velkommen"), folder + "/v.sqlite", 18601, folder + "/server.log", extra=["--no-rate-limits"])
    till = browser()
    till.set_window_size(1280, 900)
    waits = []
    try:
        for index in range(logins):
            msisdn, _ = flows.MEMBERS[index % len(flows.MEMBERS)]
            till.get(f"http://127.0.0.1:{server.port}/pos")
            till.find_element(By.ID, "phone").send_keys(msisdn[2:])
            till.find_element(By.CSS_SELECTOR, "form button").click()
            WebDriverWait(till, 10, ignored_exceptions=IGNORED).until(
                lambda d: till_state(d) == "waiting")
            time.sleep(random.uniform(1, 3))  # the customer finds the phone and reads the request
            pressed = confirm_and_land(server, msisdn)
            WebDriverWait(till, 10, poll_frequency=0.02, ignored_exceptions=IGNORED).until(lambda d: "registrert" in d.find_element(By.TAG_NAME, "h1").text)
            waits.append(time.monotonic() - pressed)
        waits.sort()
        p90 = waits[max(0, int(len(waits) * 0.9) - 1)]
        print(f"Confirm on the phone → till says 'registrert', {len(waits)} logins: p50 {statistics.median(waits) * 1000:.0f} ms, "
              f"p90 {p90 * 1000:.0f} ms, max {waits[-1] * 1000:.0f} ms")
    finally:
        till.quit()
        server.stop()


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 20)
