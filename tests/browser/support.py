"""Helpers for the browser tests: signing in, and axe with a readable report."""

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
    """Run axe with the WCAG 2.0/2.1/2.2 A and AA rules and best practice; fail listing every violation."""
    violations = axe_violations(axe, page, context=context)
    report = describe_violations(violations)
    assert not violations, f"{len(violations)} accessibility violations on {page.url}:\n{report}"


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
