"""Links, escaping, labels and headings of the generated pages."""

from __future__ import annotations

import pytest
from changeops.publish.html_page import toc_tokens
from changeops.publish.labels import _WORDS, LANGUAGES, Labels, labels_for
from changeops.publish.rendering import UNINDEXED, cell, href, html_environment, page_url, rel


@pytest.mark.parametrize("src, directory_urls, url", [
    ("index.md", True, ""), ("changes/index.md", True, "changes/"), ("changes/2026-12.md", True, "changes/2026-12/"),
    ("changes/CHG-1/notice.md", False, "changes/CHG-1/notice.html"), ("calendar/feed.ics", True, "calendar/feed.ics"),
])
def test_page_urls_follow_mkdocs(src: str, directory_urls: bool, url: str) -> None:
    assert page_url(src, directory_urls) == url


def test_links_between_pages_for_both_url_styles() -> None:
    assert href("devices/r1.md", "changes/CHG-1/index.md", True) == "../../devices/r1/"
    assert href("changes/CHG-1/runs/R/hosts/r1.log", "changes/CHG-1/index.md", True) == "runs/R/hosts/r1.log"
    assert href("changes/CHG-1/index.md", "calendar/2026-12.md", True) == "../../changes/CHG-1/"
    assert href("changes/CHG-1/index.md", "index.md", True) == "changes/CHG-1/"
    assert href("devices/r1.md", "changes/CHG-1/notice.md", False) == "../../devices/r1.html"
    assert rel("playbooks/a.md", "runbooks/x.md") == "../playbooks/a.md"
    # a file or host named like a scheme is still a relative link
    assert href("devices/javascript:alert(1).md", "devices/index.md", True) == "./javascript:alert(1)/"
    assert rel("runbooks/javascript:x.md", "runbooks/index.md") == "./javascript:x.md"


def test_record_text_cannot_break_a_table_or_inject_markup() -> None:
    assert cell("王建国 <wangjg@x.cn> | a\nb") == "王建国 &lt;wangjg&#64;x.cn&gt; &#124; a<br>b"


def test_every_word_exists_in_both_languages_and_no_word_hides_a_method() -> None:
    methods = {name for name in dir(Labels) if not name.startswith("_")}
    assert not methods & set(_WORDS)
    assert all(len(pair) == len(LANGUAGES) and all(pair) for pair in _WORDS.values())
    zh, en = labels_for("zh"), labels_for("en")
    assert (zh.patch_notice, en.patch_notice) == ("补丁加载通知", "Patch notice")
    assert (zh.state("rolled-back"), en.severity("severe"), zh.severity("severe")) == ("已回退", "severe", "严重")
    assert zh.notice_title("device-move") == "设备搬迁/割接通知"
    assert en.notice_title("upgrade") == "System upgrade notice"
    assert zh.notice_title("a-type-with-no-entry") == "维护作业通知"  # the generic notice
    assert (zh.minutes_text(95), en.minutes_text(480), zh.minutes_text(130)) == ("95 分钟", "8 h", "2 小时 10 分钟")
    assert labels_for("fr").language == "en"
    with pytest.raises(AttributeError):
        zh.no_such_word  # noqa: B018 - the lookup itself is what is tested


def test_toc_of_html_pages_nests_h3_under_h2() -> None:
    html = ('<h1 id="t">T</h1><h2 id="runs">执行记录<a class="headerlink" href="#runs">¶</a></h2>'
            '<h3 id="run-1">Run <code>1</code><a class="headerlink" href="#run-1">¶</a></h3>'
            '<h2 id="b">B &amp; C<a class="headerlink" href="#b">¶</a></h2>')
    tokens = toc_tokens(html)
    # names stay HTML, as Python-Markdown's toc extension makes them: the theme prints them raw
    assert [(t["id"], t["name"]) for t in tokens] == [("runs", "执行记录"), ("b", "B &amp; C")]
    assert [(t["id"], t["name"]) for t in tokens[0]["children"]] == [("run-1", "Run 1")]
    hostile = toc_tokens('<h2 id="x">&lt;img src=x onerror=alert(1)&gt;<a class="headerlink" href="#x">¶</a></h2>')
    assert hostile[0]["name"] == "&lt;img src=x onerror=alert(1)&gt;"


def test_record_text_cannot_forge_where_the_indexed_head_ends() -> None:
    """A title that spells the `unindexed` mark is escaped text: the page splits only where the template says."""
    forged = str(UNINDEXED).strip()
    page = html_environment().from_string("<h1>{{ title }}</h1>\n<p>head</p>\n{{ unindexed }}<p>rest</p>").render(
        title=forged)
    head, mark, rest = page.partition(str(UNINDEXED))
    assert mark and page.count(str(UNINDEXED)) == 1
    assert "<p>head</p>" in head and "&lt;!--" in head and rest == "<p>rest</p>"
