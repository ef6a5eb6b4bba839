"""What the headless-Chromium walks share: a free port, a phone-sized Chromium (390×844) in Norwegian, and a check that says what it checked."""
from flows import free_port  # noqa: F401 (the walks take it from here)


def browser():
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=390,844", "--lang=nb-NO"]:
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": "nb-NO,nb"})
    options.binary_location = "/usr/bin/chromium"
    return webdriver.Chrome(service=webdriver.ChromeService(executable_path="/usr/bin/chromedriver"), options=options)


def check(condition, message):
    if not condition:
        raise AssertionError(message)
    print("ok:", message)
