"""Helpers for the browser tests: signing in, axe with a readable report, and a scan of the words each
page shows (no ISO dates, no Django default messages) run with every axe check."""

import os
import re

PASSWORD = "correct horse battery staple"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]


def sign_in(page, site, username, password=PASSWORD):
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def describe_violations(violations: list[dict]) -> str:
    """axe's violations as lines a person can act on: rule, impact, help page, then each element."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"  - {' '.join(str(t) for t in node['target'])}")
            lines.append(f"    {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n      ")
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)


def axe_violations(axe, page, *, context=None) -> list[dict]:
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    return axe.run(page, context=context, options=options).response["violations"]


def check_accessibility(axe, page, *, context=None):
    """Run axe with the WCAG 2.0/2.1/2.2 A and AA rules and best practice; fail listing every violation.

    Then scan the page's words (check_plain_words), so every page a browser test checks is scanned."""
    violations = axe_violations(axe, page, context=context)
    report = describe_violations(violations)
    assert not violations, f"{len(violations)} accessibility violations on {page.url}:\n{report}"
    check_plain_words(page)


# An ISO date (2026-12-14) in the words a person reads: GOV.UK writes "14 December 2026". Machine-readable
# places (attributes such as <time datetime>, hrefs, input values) are not read by innerText, and <code>,
# <pre>, <samp> and <kbd> show text meant for machines (an API address, a CSV column).
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
# Django's own wording of form errors, which the hub replaces with GOV.UK's ("Enter the date the loan
# starts"): any of these on a page means a field fell back to the default.
DJANGO_DEFAULT_MESSAGES = (
    "This field is required.",
    "Enter a valid date.",
    "Enter a valid time.",
    "Enter a valid date/time.",
    "Enter a valid duration.",
    "Enter a whole number.",
    "Enter a number.",
    "Enter a valid value.",
    "Enter a valid email address.",
    "Enter a valid URL.",
    "Enter a list of values.",
    "Select a valid choice",
    "Ensure this value has at most",
    "Ensure this value has at least",
    "Ensure this value is less than or equal to",
    "Ensure this value is greater than or equal to",
    "Ensure this value is a multiple of",
    "Ensure that there are no more than",
    "No file was submitted.",
    "The submitted file is empty.",
    "Upload a valid image.",
)
# "1 loan(s)": a count the page could have said properly.
LAZY_PLURAL = re.compile(r"\w\(s\)")

# The page's visible words as a person (or a screen reader) meets them: document.body.innerText, with the
# elements that show machine text on purpose hidden for the moment it takes to read it (their own innerText
# can differ from their part of the body's, so it cannot simply be cut out).
VISIBLE_TEXT = """() => {
  const machine = [...document.body.querySelectorAll('code, pre, samp, kbd')];
  const before = machine.map((el) => [
    el.style.getPropertyValue('display'), el.style.getPropertyPriority('display'),
  ]);
  machine.forEach((el) => el.style.setProperty('display', 'none', 'important'));
  try {
    return document.body.innerText;
  } finally {
    machine.forEach((el, i) => el.style.setProperty('display', before[i][0], before[i][1]));
  }
}"""


def plain_words_problems(text: str) -> list[str]:
    """What in a page's visible text breaks the hub's plain-words rules, each with the text around it."""
    problems = []

    def around(start, end):
        return " ".join(text[max(0, start - 60) : end + 60].split())

    for match in ISO_DATE.finditer(text):
        problems.append(f"ISO date {match.group()!r}: ...{around(match.start(), match.end())}...")
    for message in DJANGO_DEFAULT_MESSAGES:
        at = text.find(message)
        if at >= 0:
            problems.append(f"Django's default message {message!r}: ...{around(at, at + len(message))}...")
    for match in LAZY_PLURAL.finditer(text):
        problems.append(f"a plural left as '(s)': ...{around(match.start(), match.end())}...")
    return problems


def check_plain_words(page):
    """Fail if the page shows an ISO date, Django's default form wording or "(s)" in its visible text.

    With SLIHUB_PLAIN_WORDS_REPORT=<file> set, the problems are appended to that file instead, so that one
    run of many tests lists every offending page."""
    problems = plain_words_problems(page.evaluate(VISIBLE_TEXT))
    report = os.environ.get("SLIHUB_PLAIN_WORDS_REPORT")
    if report and problems:
        with open(report, "a", encoding="utf-8") as out:
            out.writelines(f"{page.url}\t{problem}\n" for problem in problems)
        return
    assert not problems, f"{len(problems)} plain-words problems on {page.url}:\n" + "\n".join(problems)


# Elements wider than the viewport that are not inside a box that scrolls sideways.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (el) => {
    for (let a = el.parentElement; a; a = a.parentElement) {
      if (a === document.body) return false;
      const overflow = getComputedStyle(a).overflowX;
      if ((overflow === 'auto' || overflow === 'scroll') && a.getBoundingClientRect().right <= width + 1) {
        return true;
      }
    }
    return false;
  };
  return [...document.body.querySelectorAll('*')]
    .filter((el) => el.getBoundingClientRect().right > width + 1 && el.getBoundingClientRect().width > 0)
    .filter((el) => !el.closest('.govuk-visually-hidden, .govuk-skip-link') && !scrolls(el))
    .map((el) => el.outerHTML.slice(0, 120));
}"""


def check_reflow(page, width=320):
    """Reflow (WCAG 1.4.10): at 320 CSS pixels wide the page does not scroll sideways.

    Wide data tables may scroll, but inside their own box (WCAG allows two-dimensional
    scrolling for data tables), never by widening the page.
    """
    size = page.viewport_size
    page.set_viewport_size({"width": width, "height": 640})
    try:
        scroll_width, client_width = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert scroll_width <= client_width, f"{page.url} is {scroll_width}px wide at {client_width}px"
        assert page.evaluate(OVERFLOWING) == [], f"{page.url} overflows at {width}px"
    finally:
        page.set_viewport_size(size)
