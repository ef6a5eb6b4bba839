#!/usr/bin/env python3
"""Walks the whole onboarding flow in headless Chromium and saves screenshots.

usage: browser-test.py VELKOMMEN_BINARY [SCREENSHOT_DIR]
Starts `velkommen serve` with its simulator on free ports and a fresh database, then, as real
browsers: the till starts a login (/pos), the customer's phone confirms it with consents (the
simulator's phone page), the phone's browser lands on the welcome page, answers preferences, and
sees its data. The till's status line must update by itself (the page's script under the CSP).
Then staff log in with Vipps: marketing's editor with a preview, and the merchant's statistics.
The server runs with both wallets configured (test certificates made with openssl); the card offers
both, its pass carries the welcome offer, and the till redeems the offer's code as a scanner types it.
Screenshots: welcome-anonymous.png, till.png, till-registered.png (the member number, "ny i klubben", the offer's code),
till-offer-redeemed.png, till-cancelled.png, till-qr-registered.png (a scanned personal QR enrols), phone.png, consents.png, welcome.png, card.png (the whole page with both wallet buttons and the offer;
both barcodes read back by zbarimg), preferences.png, preferences-done.png, me.png, me-consent-withdrawn.png, welcome-consent-notice.png, editor.png,
preview.png, stats.png.
"""
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, WebDriverException
from selenium.webdriver.support.ui import Select, WebDriverWait

sys.path.insert(0, os.path.dirname(__file__))
from browser_test_support import browser, check, free_port  # noqa: E402


# A page replaced while a wait looks at it is not a failure: look again.
IGNORED = (NoSuchElementException, StaleElementReferenceException, WebDriverException)

AXE = None


def accessibility(driver, name, findings):
    """Runs axe-core (WCAG 2 A and AA rules) on the current page and keeps what it finds."""
    global AXE
    if AXE is None:
        import axe_selenium_python
        AXE = open(os.path.join(os.path.dirname(axe_selenium_python.__file__), "node_modules", "axe-core", "axe.min.js")).read()
    driver.execute_script(AXE)
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}}).then(r => done(r.violations));")
    for violation in result:
        findings.append(f"{name}: {violation['id']} ({violation['impact']}): {violation['help']} — {len(violation['nodes'])} element(s)")


def click(driver, by, value):
    """Clicks an element once the page that has it is there: after a navigation the old page may still
    be showing for a moment."""
    WebDriverWait(driver, 10, ignored_exceptions=IGNORED).until(lambda d: d.find_element(by, value)).click()


def till_state(driver):
    """The till screen's state, read in one script call: no element reference to go stale while the page changes."""
    return driver.execute_script("var screen = document.querySelector('.till'); return screen && screen.getAttribute('data-state');")


def wallet_settings(folder):
    """Test certificates for both wallets, made with openssl as Tests/AppTests/Support/TestWalletCertificates
    does (a root CA, an intermediate in the place of Apple's WWDR, a Pass Type ID certificate; a Google
    service account key), as the settings the server reads."""
    wallet = os.path.join(folder, "wallet")
    os.makedirs(wallet)
    pass_type, team = "pass.no.example.velkommen", "ABCDE12345"
    with open(os.path.join(wallet, "ca.ext"), "w") as f:
        f.write("basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n")
    for arguments in [
        ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=Velkommen Test Root", "-days", "2"],
        ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "wwdr.key", "-out", "wwdr.csr", "-subj", "/CN=Test WWDR"],
        ["x509", "-req", "-in", "wwdr.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "wwdr.pem", "-days", "2",
         "-extfile", "ca.ext"],
        ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "pass.key", "-out", "pass.csr", "-subj",
         f"/UID={pass_type}/CN=Pass Type ID: {pass_type}/OU={team}"],
        ["x509", "-req", "-in", "pass.csr", "-CA", "wwdr.pem", "-CAkey", "wwdr.key", "-CAcreateserial", "-out", "pass.pem", "-days", "2"],
        ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "google.key"],
    ]:
        subprocess.run(["openssl"] + arguments, cwd=wallet, check=True, capture_output=True)
    with open(os.path.join(wallet, "google.json"), "w") as f:
        json.dump({"type": "service_account", "client_email": "wallet@velkommen-test.iam.gserviceaccount.com",
                   "private_key": open(os.path.join(wallet, "google.key")).read()}, f)
    return {
        "VELKOMMEN_WALLET_PASS_TYPE_ID": pass_type, "VELKOMMEN_WALLET_TEAM_ID": team,
        "VELKOMMEN_WALLET_CERTIFICATE": os.path.join(wallet, "pass.pem"), "VELKOMMEN_WALLET_KEY": os.path.join(wallet, "pass.key"),
        "VELKOMMEN_WALLET_WWDR": os.path.join(wallet, "wwdr.pem"),
        "VELKOMMEN_GOOGLE_WALLET_ISSUER_ID": "3388000000012345678", "VELKOMMEN_GOOGLE_WALLET_KEY": os.path.join(wallet, "google.json"),
    }


def full_page_screenshot(driver, path):
    """The whole page, not just the phone's first screen: the window made as tall as the page, then back."""
    width, height = driver.get_window_size()["width"], driver.get_window_size()["height"]
    driver.set_window_size(width, driver.execute_script("return document.documentElement.scrollHeight") + 40)
    driver.save_screenshot(path)
    driver.set_window_size(width, height)


def main(binary, shots):
    os.makedirs(shots, exist_ok=True)
    folder = tempfile.mkdtemp(prefix="velkommen-browser-")
    port, sim_port = free_port(), free_port()
    subprocess.run([binary, "staff", "add", "--phone", "4798765432", "--role", "admin", "--db", folder + "/v.sqlite"], check=True,
                   stdout=subprocess.DEVNULL)
    server = subprocess.Popen([binary, "serve", "--port", str(port), "--sim-port", str(sim_port), "--db", folder + "/v.sqlite"],
                              stdout=open(folder + "/server.log", "w"), stderr=subprocess.STDOUT,
                              env=dict(os.environ, **wallet_settings(folder)))
    till = phone = staff = None
    findings = []
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        base, sim = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{sim_port}"
        till, phone = browser(), browser()
        till.set_window_size(1280, 900)  # the till is a desktop (or a tablet at the counter)

        till.get(base + "/pos")
        till.find_element(By.ID, "phone").send_keys("12345678")
        click(till, By.CSS_SELECTOR, "form button")
        binding = WebDriverWait(till, 10, ignored_exceptions=IGNORED).until(lambda d: d.find_element(By.CLASS_NAME, "binding-message")).text
        check(len(binding) == 7, f"the till shows the binding message {binding}")
        till.save_screenshot(f"{shots}/till.png")
        accessibility(till, "till progress", findings)

        phone.get(base + "/welcome")
        check("Logg inn med" in phone.page_source and "vipps-login" in phone.page_source, "an anonymous visitor is offered Vipps' login button, not a greeting with a hole")
        phone.save_screenshot(f"{shots}/welcome-anonymous.png")
        accessibility(phone, "welcome anonymous", findings)

        phone.get(sim + "/phone/4712345678")
        check(binding in phone.page_source, "the phone shows the same binding message")
        phone.save_screenshot(f"{shots}/phone.png")
        click(phone, By.XPATH, "//button[text()='Confirm']")
        click(phone, By.CSS_SELECTOR, "input[value='sms']")
        phone.save_screenshot(f"{shots}/consents.png")
        click(phone, By.XPATH, "//button[text()='Confirm']")
        WebDriverWait(phone, 10, ignored_exceptions=IGNORED).until(lambda d: d.current_url.startswith(base + "/welcome"))
        check("Hei, Ada!" in phone.page_source, "the phone's browser lands on the welcome page, greeted by name")
        check("code=" not in phone.current_url, "the code has left the address bar")
        phone.save_screenshot(f"{shots}/welcome.png")
        accessibility(phone, "welcome", findings)

        WebDriverWait(till, 10, ignored_exceptions=IGNORED).until(lambda d: till_state(d) == "registered")
        check("Ada L. er registrert" in till.find_element(By.TAG_NAME, "h1").text, "the till's screen turned by itself to 'Ada L. er registrert'")
        member = WebDriverWait(till, 10, ignored_exceptions=IGNORED).until(lambda d: d.find_element(By.CLASS_NAME, "till-member")).text
        offer_code = till.find_element(By.CSS_SELECTOR, ".till-member .till-offer-code").text
        check("ny i klubben" in member and "Medlemsnummer" in member and len(offer_code) == 9,
              f"the till shows who joined: the member number, 'ny i klubben', the welcome offer's code {offer_code}")
        till.save_screenshot(f"{shots}/till-registered.png")
        accessibility(till, "till registered", findings)

        phone.get(base + "/card")
        check(phone.find_elements(By.CSS_SELECTOR, "a.wallet-apple[href='/card.pkpass']")
              and phone.find_elements(By.CSS_SELECTOR, "a.wallet-google[href^='https://pay.google.com/gp/v/save/']"),
              "the card offers both wallets: 'Legg til i Apple Wallet' and 'Lagre i Google Wallet'")
        check(offer_code in phone.page_source and "10 % på første kjøp" in phone.page_source, "the card shows the welcome offer's code")
        full_page_screenshot(phone, f"{shots}/card.png")
        accessibility(phone, "member card", findings)
        number = "".join(c for c in phone.find_element(By.CLASS_NAME, "member-card-number").text if c.isdigit())
        scanned = subprocess.run(["zbarimg", "--raw", "-q", f"{shots}/card.png"], capture_output=True, text=True).stdout.split()
        check(number in scanned and len(number) == 8, f"a barcode reader (zbarimg) reads the card's number {number} off the screen ({scanned})")
        check(offer_code.replace("-", "") in scanned, f"and the welcome offer's code {offer_code}, as a till's scanner would")
        session = "; ".join(f"{c['name']}={c['value']}" for c in phone.get_cookies())
        pkpass = urllib.request.urlopen(urllib.request.Request(base + "/card.pkpass", headers={"Cookie": session}), timeout=10).read()
        pass_json = json.loads(zipfile.ZipFile(io.BytesIO(pkpass)).read("pass.json"))
        offer_field = pass_json["storeCard"].get("auxiliaryFields", [{}])[0].get("value", "")
        check(offer_code in offer_field, f"the Apple Wallet pass carries the open welcome offer ({offer_field!r})")

        phone.get(base + "/preferences")
        click(phone, By.ID, "favourite_store-oslo-1")
        click(phone, By.ID, "interests-coffee")
        phone.save_screenshot(f"{shots}/preferences.png")
        accessibility(phone, "preferences", findings)
        click(phone, By.CSS_SELECTOR, "button[name='save']")
        WebDriverWait(phone, 10, ignored_exceptions=IGNORED).until(lambda d: "Takk!" in d.page_source)
        phone.save_screenshot(f"{shots}/preferences-done.png")
        accessibility(phone, "preferences done", findings)
        if "Svarene dine er lagret" not in phone.page_source:
            print(phone.current_url, phone.page_source[-2500:])
        check("Svarene dine er lagret" in phone.page_source, "the preferences are saved")
        WebDriverWait(till, 10, ignored_exceptions=IGNORED).until(lambda d: "svart på spørsmålene" in d.find_element(By.CLASS_NAME, "till-text").text
                                      or d.current_url.endswith("/pos"))
        check(True, "the till shows that the customer answered, or has gone back to a new customer")

        # The cashier redeems the welcome offer: a scanner types the code and Enter into the code field.
        till.get(base + "/pos")
        till.find_element(By.ID, "offer-code").send_keys(offer_code.replace("-", "") + Keys.ENTER)
        WebDriverWait(till, 10, ignored_exceptions=IGNORED).until(lambda d: "Tilbudet er løst inn" in d.find_element(By.TAG_NAME, "h1").text)
        check("10 % på første kjøp" in till.page_source and offer_code in till.page_source, "the till redeems a scanned code and says what to give")
        till.save_screenshot(f"{shots}/till-offer-redeemed.png")
        accessibility(till, "till offer redeemed", findings)
        till.find_element(By.ID, "offer-code").send_keys(offer_code + Keys.ENTER)
        WebDriverWait(till, 10, ignored_exceptions=IGNORED).until(lambda d: "Tilbudet er løst inn" in d.find_element(By.TAG_NAME, "h1").text)
        check(True, "the same till scanning it again gets the same answer (a retry is safe)")
        phone.get(base + "/card")
        check(offer_code not in phone.page_source, "a redeemed code leaves the member card")

        phone.get(base + "/me")
        check("Ada Lovelace" in phone.page_source and "Oslo sentrum</strong>" in phone.page_source, "my data shows the profile and the answers")
        phone.save_screenshot(f"{shots}/me.png")
        accessibility(phone, "my data", findings)
        click(phone, By.XPATH, "//button[text()='Trekk tilbake samtykke til SMS']")
        WebDriverWait(phone, 10, ignored_exceptions=IGNORED).until(lambda d: "Gi samtykke til SMS" in d.page_source)
        check(True, "withdrawing SMS on my data is one button, and giving it back is offered the same way")
        phone.save_screenshot(f"{shots}/me-consent-withdrawn.png")

        # A later login that changes a consent is told on the welcome page, never silently: here the
        # customer ticks e-mail on Vipps' consent screen. (Vipps' remembered yes for SMS repeats what it
        # said before and changes nothing: the SMS withdrawn on /me stands. The number is taken off the
        # member so that the till asks; with it on record, the till would not ask again.)
        import sqlite3
        connection = sqlite3.connect(folder + "/v.sqlite")
        connection.execute("UPDATE members SET phone_number = NULL")
        connection.commit()
        connection.close()
        till.get(base + "/pos")
        till.find_element(By.ID, "phone").send_keys("12345678")
        click(till, By.CSS_SELECTOR, "form button")
        WebDriverWait(till, 10, ignored_exceptions=IGNORED).until(lambda d: till_state(d) == "waiting")
        phone.get(sim + "/phone/4712345678")
        click(phone, By.XPATH, "//button[text()='Confirm']")
        # Either the consent screen (for consents not accepted before) or straight to the welcome page.
        WebDriverWait(phone, 10, ignored_exceptions=IGNORED).until(
            lambda d: d.current_url.startswith(base + "/welcome") or d.find_elements(By.CSS_SELECTOR, "input[name='consent']"))
        check(not phone.current_url.startswith(base), "Vipps asks for the consents not given before")
        click(phone, By.CSS_SELECTOR, "input[value='email']")
        click(phone, By.XPATH, "//button[text()='Confirm']")
        WebDriverWait(phone, 10, ignored_exceptions=IGNORED).until(lambda d: d.current_url.startswith(base + "/welcome"))
        check("Du har nå sagt ja til e-post" in phone.page_source and "SMS" not in phone.find_element(By.CSS_SELECTOR, "main").text,
              "the welcome page tells that the login changed a consent (e-post), and only that")
        phone.save_screenshot(f"{shots}/welcome-consent-notice.png")
        accessibility(phone, "welcome with notice", findings)
        for path, name in [("/offers", "offers"), ("/offers/coffee", "offer"), ("/nowhere", "not found"), ("/welcome?lang=en", "welcome in English")]:
            phone.get(base + path)
            accessibility(phone, name, findings)
        till.get(base + "/pos")
        accessibility(till, "till form", findings)
        check(till.switch_to.active_element.get_attribute("id") == "phone", "the till starts on an empty, focused phone field")
        till.find_element(By.ID, "phone").send_keys("98765432")
        click(till, By.CSS_SELECTOR, "form button")
        WebDriverWait(till, 10, ignored_exceptions=IGNORED).until(lambda d: till_state(d) == "waiting")
        click(till, By.XPATH, "//button[text()='Avbryt']")
        WebDriverWait(till, 10, ignored_exceptions=IGNORED).until(lambda d: till_state(d) == "cancelled")
        check("Avbrutt" in till.find_element(By.TAG_NAME, "h1").text, "Avbryt at the till shows 'Avbrutt'")
        till.save_screenshot(f"{shots}/till-cancelled.png")
        accessibility(till, "till cancelled", findings)

        # A scanned personal QR code enrols: a USB scanner types the code and Enter into the phone field.
        till.get(base + "/pos")
        till.find_element(By.ID, "phone").send_keys("https://qr.vipps.no/28/2/01/031/4791234567?v=1" + Keys.ENTER)
        WebDriverWait(till, 10, ignored_exceptions=IGNORED).until(lambda d: till_state(d) == "waiting")
        scanned_phone = browser()
        try:
            scanned_phone.get(sim + "/phone/4791234567")
            click(scanned_phone, By.XPATH, "//button[text()='Confirm']")
            WebDriverWait(scanned_phone, 10, ignored_exceptions=IGNORED).until(
                lambda d: d.current_url.startswith(base + "/welcome") or d.find_elements(By.CSS_SELECTOR, "input[name='consent']"))
            if not scanned_phone.current_url.startswith(base):
                click(scanned_phone, By.XPATH, "//button[text()='Confirm']")
            WebDriverWait(scanned_phone, 10, ignored_exceptions=IGNORED).until(lambda d: d.current_url.startswith(base + "/welcome"))
            check("Hei, Ola!" in scanned_phone.page_source, "a scanned personal QR code enrols: the phone lands greeted by name")
        finally:
            scanned_phone.quit()
        WebDriverWait(till, 10, ignored_exceptions=IGNORED).until(lambda d: till_state(d) == "registered")
        check("Ola N. er registrert" in till.find_element(By.TAG_NAME, "h1").text, "the till shows the scanned customer registered")
        till.save_screenshot(f"{shots}/till-qr-registered.png")

        staff = browser()
        staff.set_window_size(1280, 900)  # staff work at a desk: tables and the editor want the width
        staff.get(base + "/admin/login")
        staff.find_element(By.ID, "phone").send_keys("98765432")
        click(staff, By.CSS_SELECTOR, "form button")
        click(staff, By.XPATH, "//button[text()='Confirm']")
        WebDriverWait(staff, 10, ignored_exceptions=IGNORED).until(lambda d: d.current_url == base + "/admin")
        check("Administrasjon" in staff.page_source, "staff log in with Vipps and reach the admin area")
        def preview_text(driver):
            driver.switch_to.frame("preview-frame")
            try:
                return driver.page_source
            finally:
                driver.switch_to.default_content()

        staff.get(base + "/admin/pages/edit?slug=coffee&lang=nb")
        WebDriverWait(staff, 10, ignored_exceptions=IGNORED).until(lambda d: "Kaffe og bolle" in preview_text(d))
        check("pepperkaker" not in preview_text(staff), "the preview starts from the saved text")
        check("Forhåndsvisning" in preview_text(staff), "the preview beside the text shows the page as customers see it, marked as a preview")
        staff.find_element(By.ID, "body").send_keys("\n\nNå også med pepperkaker.")
        WebDriverWait(staff, 10, ignored_exceptions=IGNORED).until(lambda d: "pepperkaker" in preview_text(d))
        check(True, "the preview updates as marketing types")
        staff.save_screenshot(f"{shots}/editor.png")
        accessibility(staff, "editor", findings)
        # A new page, scheduled for next December: "Planlegg", then the confirmation says when.
        staff.get(base + "/admin/pages/edit")
        staff.find_element(By.ID, "title").send_keys("Julekaffe")
        staff.find_element(By.ID, "slug").send_keys("julekaffe")
        staff.find_element(By.ID, "body").send_keys("Kaffe hele desember.")
        Select(staff.find_element(By.ID, "audience")).select_by_visible_text("Har sagt ja til SMS")
        year = time.localtime().tm_year + 1
        staff.execute_script("var f = document.getElementById('publish_at'); f.value = arguments[0];"
                             "f.dispatchEvent(new Event('input', {bubbles: true}));", f"{year}-12-03T08:00")
        WebDriverWait(staff, 5, ignored_exceptions=IGNORED).until(lambda d: d.find_element(By.ID, "publish-button").text == "Planlegg")
        click(staff, By.ID, "publish-button")
        WebDriverWait(staff, 10, ignored_exceptions=IGNORED).until(lambda d: "/admin/pages/history" in d.current_url)
        notice = staff.find_element(By.CSS_SELECTOR, "[role=status]").text
        check("planlagt og vises fra 3. des. kl. 08.00" in notice, f"publishing a future page schedules it and says when ({notice!r})")
        staff.save_screenshot(f"{shots}/editor-scheduled.png")
        accessibility(staff, "history with the confirmation", findings)
        staff.get(base + "/admin/pages")
        check("planlagt 3. des. kl. 08.00" in staff.page_source, "the page list says when a scheduled page goes live")
        # Images: a photo over the limit is refused in the browser, with the reason, before it is sent.
        staff.get(base + "/admin/pages/media")
        large = os.path.join(folder, "stort-bilde.jpg")
        with open(large, "wb") as f:
            f.write(b"\xff\xd8\xff\xe0" + os.urandom(3 * 1024 * 1024))
        staff.find_element(By.ID, "image").send_keys(large)
        WebDriverWait(staff, 5, ignored_exceptions=IGNORED).until(lambda d: d.find_element(By.ID, "media-size-error").text)
        message = staff.find_element(By.ID, "media-size-error").text
        staff.find_element(By.ID, "alt").send_keys("Et stort bilde")
        click(staff, By.CSS_SELECTOR, "form[action='/admin/pages/media'] button")
        check("for stort" in message and "/admin/pages/media" in staff.current_url and "added=" not in staff.current_url
              and staff.execute_script("return !document.getElementById('image').checkValidity()"),
              f"a 3 MB image is refused in the browser before it is sent ({message!r})")
        staff.save_screenshot(f"{shots}/media-too-large.png")
        accessibility(staff, "images", findings)
        staff.get(base + "/admin/stats")
        check("<svg" in staff.page_source and "&lt; 5" in staff.page_source, "the statistics page draws its chart and hides small counts")
        check("Hovedtall" in staff.page_source and "figure-value" in staff.page_source, "the statistics open on the headline figures")
        check("Velkomsttilbud løst inn" in staff.page_source and "Løst inn" in staff.page_source,
              "the statistics count the welcome offers redeemed, in the headline and per store")
        staff.save_screenshot(f"{shots}/stats.png")
        accessibility(staff, "statistics", findings)
        for path, name in [("/admin", "admin"), ("/admin/pages", "page list"), ("/admin/questions", "questions"), ("/admin/staff", "staff"),
                           ("/admin/audit", "audit log"), ("/admin/pages/history?slug=coffee&lang=nb", "history")]:
            staff.get(base + path)
            accessibility(staff, name, findings)
        for finding in findings:
            print("accessibility:", finding)
        check(not findings, f"axe-core finds no WCAG 2 A/AA violations on the pages walked")
        print(f"screenshots in {shots}")
    except Exception:
        # What each browser was looking at, to tell a flaky wait from a real failure.
        for name, driver in (("till", till), ("phone", phone), ("staff", staff)):
            if driver:
                print(f"{name} at {driver.current_url}: {driver.page_source[-1500:]}")
                driver.save_screenshot(f"{shots}/failure-{name}.png")
        raise
    finally:
        for driver in (till, phone, staff):
            if driver:
                driver.quit()
        server.terminate()
        server.wait(timeout=20)
        subprocess.run(["rm", "-rf", folder])


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "screenshots")
