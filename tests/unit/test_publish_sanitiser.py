"""The allow-list for pages rendered from Markdown a person wrote, run on what Python-Markdown makes of it."""

from __future__ import annotations

import markdown
import pytest
from changeops.publish.sanitiser import sanitise, title_text

SITE = ["tables", "attr_list", "admonition", "toc", "pymdownx.highlight", "pymdownx.superfences"]


def site_html(source: str) -> str:
    return markdown.markdown(source, extensions=SITE, extension_configs={"toc": {"permalink": True}})


@pytest.mark.parametrize("hostile", [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<svg onload=\"alert(1)\"><circle r=\"1\"/></svg>",
    "[x](javascript:alert(1))",
    "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
    "<a href=\"java&#x09;script:alert(1)\">x</a>",
    "![i](javascript:alert(1))",
    "text\n{: onclick=\"alert(1)\" }",
    "<p style=\"background:url(javascript:alert(1))\">x</p>",
    "<form action=\"javascript:alert(1)\"><button>go</button></form>",
    "<object data=\"x.swf\"></object><embed src=\"x.swf\"><math><mi>x</mi></math>",
    "<div><style>body{display:none}</style></div>",
    "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
])
def test_nothing_that_runs_or_leaves_the_site_survives(hostile: str) -> None:
    cleaned = sanitise(site_html(f"Intro\n\n{hostile}\n\nOutro")).lower()
    for marker in ("<script", "<iframe", "<svg", "<object", "<embed", "<form", "<math", "<style", "onerror",
                   "onload", "onclick", "javascript:", "data:", "style="):
        assert marker not in cleaned
    assert "intro" in cleaned and "outro" in cleaned


def test_what_runbooks_use_stays() -> None:
    source = """# Plan

!!! warning "Before you start"
    Check the **backup**.

| step | who |
|:-----|----:|
| 1 | [on call](../people.md#on-call) |

```yaml
- name: x
```

<details><summary>More</summary>See <a href="https://example.com/a">the vendor</a> or
<a href="mailto:noc@example.cn">the NOC</a>.</details>

![diagram](img/net.png)
"""
    cleaned = sanitise(site_html(source))
    for kept in ('<h1 id="plan">', 'class="headerlink" href="#plan"', 'class="admonition warning"',
                 '<strong>backup</strong>', 'style="text-align:left"', 'href="../people.md#on-call"',
                 'class="highlight"', '<span class="nt">name</span>', "<details><summary>More</summary>",
                 'href="https://example.com/a"', 'href="mailto:noc@example.cn"', 'src="img/net.png"'):
        assert kept in cleaned


def test_titles_become_escaped_text() -> None:
    assert title_text("a <b>&lt;script&gt;</b>", is_html=True) == "a &lt;script&gt;"
    assert title_text("</title><script>alert(1)</script>", is_html=False) == \
        "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
    assert title_text("R&amp;D", is_html=False) == "R&amp;amp;D"
    assert title_text("  two\n lines ", is_html=False) == "two lines"
