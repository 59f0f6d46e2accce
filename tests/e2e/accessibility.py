"""axe-core in the browser tests: the WCAG 2.2 AA rules, run in the page as it stands.

axe is vendored (tests/e2e/vendor/, see its README) and evaluated through Playwright, which
is not subject to the page's Content-Security-Policy, so the pages are checked with the CSP
they really have.
"""

from pathlib import Path

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# What must be 0: the violations axe rates as serious or critical.
BLOCKING_IMPACTS = {"serious", "critical"}

_RUN = """async tags => {
  const results = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return results.violations.map(violation => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    nodes: violation.nodes.slice(0, 5).map(node => node.target.join(" ")),
  }));
}"""


def blocking_violations(page) -> list[str]:
    """The page's serious and critical WCAG 2.2 AA violations, one readable line each."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    found = page.evaluate(_RUN, WCAG_22_AA)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at {violation['nodes']}"
        for violation in found
        if violation["impact"] in BLOCKING_IMPACTS
    ]
