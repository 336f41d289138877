#!/usr/bin/env python3
"""Opens generated docs pages in headless Chromium (Debian's `chromium`) and checks what a
reader sees: the page's scripts ran without a console message (Doxygen pages log nothing, so
any message is a broken script or a missing file), the student path is in the sidebar, the
chapter's picture and code are there, and the links between chapter and API pages resolve.

Usage: check_pages.py --chromium CHROMIUM --html DOCS_HTML_DIR --source REPO
"""
import argparse
import html.parser
import os
import re
import subprocess
import sys
import tempfile

failures = []


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message)
    if not condition:
        failures.append(message)


class Page(html.parser.HTMLParser):
    """The links, images and code fragments of a rendered DOM."""

    def __init__(self):
        super().__init__()
        self.links, self.images, self.fragments, self.text = [], [], 0, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "img" and attrs.get("src"):
            self.images.append(attrs["src"])
        elif tag == "div" and "fragment" in (attrs.get("class") or "").split():
            self.fragments += 1

    def handle_data(self, data):
        self.text.append(data)


def render(chromium, path):
    """The DOM after the page's scripts ran, and the console messages Chromium logged."""
    with tempfile.TemporaryDirectory() as profile:
        result = subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + profile,
             "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000", "--dump-dom",
             "file://" + path],
            capture_output=True, text=True, timeout=120)
    console = [line for line in result.stderr.splitlines() if ":CONSOLE(" in line]
    page = Page()
    page.feed(result.stdout)
    return page, console, result.stdout


def resolves(html_dir, page_path, href):
    """True when a relative link points at an existing file (anchors and queries ignored)."""
    target = href.split("#", 1)[0].split("?", 1)[0]
    if not target or re.match(r"^[a-z]+:", target):
        return True
    return os.path.exists(os.path.normpath(os.path.join(os.path.dirname(page_path), target)))


def page_file(markdown):
    """The HTML file Doxygen makes of a Markdown page: its {#label}, else md_<path with _>."""
    with open(markdown, encoding="utf-8") as file:
        first = file.readline()
    label = re.search(r"\{#([A-Za-z0-9_]+)\}", first)
    if label:
        return label.group(1) + ".html"
    return "md_" + os.path.splitext(markdown)[0].replace(os.sep, "_") + ".html"


def open_page(chromium, html_dir, name, what):
    path = os.path.join(html_dir, name)
    check(os.path.exists(path), "%s exists: %s" % (what, name))
    if not os.path.exists(path):
        return None, path
    page, console, _ = render(chromium, path)
    check(not console, "%s renders without console messages%s" % (what, "" if not console else ": " + " | ".join(console[:3])))
    broken = [href for href in page.links if not resolves(html_dir, path, href)]
    check(not broken, "%s: every link resolves%s" % (what, "" if not broken else " (broken: %s)" % broken[:5]))
    return page, path


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--chromium", required=True)
    parser.add_argument("--html", required=True)
    parser.add_argument("--source", required=True)
    options = parser.parse_args()
    html_dir, source = options.html, options.source
    os.chdir(source)

    # The main page: the student path is in the sidebar (filled by the navtree scripts).
    main_page, _ = open_page(options.chromium, html_dir, "index.html", "main page")
    if main_page:
        text = " ".join(main_page.text)
        check("Start here" in text, "main page: 'Start here' is shown")
        for entry in ("Chapters", "How it works", "Debugging"):
            check(entry in text, "main page: sidebar lists '%s'" % entry)

    # A chapter page with a picture (the chapters' pages, or the chapter's program page).
    chapter_pages = sorted(os.path.join("docs", "tutorials", name)
                           for name in os.listdir("docs/tutorials")) if os.path.isdir("docs/tutorials") else []
    with_picture = [md for md in chapter_pages if re.search(r"!\[[^\]]*\]\(|\\image", open(md, encoding="utf-8").read())]
    if with_picture:
        chapter_md = with_picture[0]
        chapter, chapter_path = open_page(options.chromium, html_dir, page_file(chapter_md), "chapter page " + chapter_md)
        if chapter:
            markdown = open(chapter_md, encoding="utf-8").read()
            pictures = [image for image in chapter.images if os.path.basename(image) in markdown]
            check(pictures, "chapter page: shows its picture (%s)" % pictures[:2])
            for image in pictures:
                check(resolves(html_dir, chapter_path, image) and os.path.getsize(
                    os.path.normpath(os.path.join(os.path.dirname(chapter_path), image))) > 100,
                    "chapter page: picture %s is a real file" % image)
            check(chapter.fragments > 0, "chapter page: shows code (%d fragments)" % chapter.fragments)
    else:
        print("note: no chapter page with a picture in docs/tutorials/; checking a chapter's program page")
    example, _ = open_page(options.chromium, html_dir, "ch04_embedding_layer_8cpp-example.html", "chapter 4's program page")
    if example:
        check(example.fragments > 0, "chapter 4's program page: shows the code")
        api = sorted({href.split("#")[0] for href in example.links if href.startswith("class")})
        check(len(api) >= 2, "chapter 4's program page: its code links to API pages (%s)" % api[:4])

    # The Embedding class page links back to the chapter that teaches it.
    embedding, _ = open_page(options.chromium, html_dir, "classembedlab_1_1nn_1_1Embedding.html", "Embedding class page")
    if embedding:
        chapter4 = "docs/tutorials/ch04_embedding_layer.md"
        back = page_file(chapter4) if os.path.exists(chapter4) else "tutorials.html"
        check(any(href.split("#")[0] == back for href in embedding.links),
              "Embedding class page: links back to its chapter (%s)" % back)

    print("%d check(s) failed" % len(failures) if failures else "all checks passed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
