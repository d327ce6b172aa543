#!/usr/bin/python3
"""Tests of slicebench.report: findings.md and the self-contained report.html,
the latter also opened in headless Chromium (skipped when /usr/bin/chromium
is not installed).

Run from anywhere:  /usr/bin/python3 tests/python/test_report.py [-v]

Uses the fixtures in tests/fixtures/plot/ and writes only into temporary
directories (Chromium gets a fresh profile and HOME there).
"""

import base64
import html.parser
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True
REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "scripts"))

from slicebench import findings, model, plot, report, results  # noqa: E402
from slicebench import schema  # noqa: E402

FIXTURES = os.path.join(REPO, "tests", "fixtures", "plot")
RUN_ID = "20261126T230102Z_3f2a9c1"
GLIBC = os.path.join(FIXTURES, f"{RUN_ID}_glibc.csv")
MIMALLOC = os.path.join(FIXTURES, f"{RUN_ID}_mimalloc.csv")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_TIMEOUT = 60


class Page(html.parser.HTMLParser):
    """Collects the <img> src values, links, scripts and table rows."""

    def __init__(self):
        super().__init__()
        self.images = []
        self.external = []
        self.scripts = 0
        self.rows = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img":
            self.images.append(attrs.get("src", ""))
        if tag == "script":
            self.scripts += 1
        if tag == "tr":
            self.rows += 1
        for name in ("href", "src"):
            value = attrs.get(name) or ""
            if value and not value.startswith(("data:", "#")):
                self.external.append(value)


def parse(text):
    page = Page()
    page.feed(text)
    return page


TMP = None          # the temporary folder of this test run
WRITTEN = []        # what plot.generate wrote into TMP/out


def setUpModule():
    global TMP, WRITTEN
    TMP = tempfile.mkdtemp(prefix="slicebench-report-")
    WRITTEN = plot.generate([GLIBC, MIMALLOC],
                            out_dir=os.path.join(TMP, "out"))


def tearDownModule():
    shutil.rmtree(TMP)


class ReportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.out = os.path.join(TMP, "out")
        cls.written = WRITTEN
        cls.pngs = sorted(p for p in cls.written if p.endswith(".png"))
        cls.html_path = os.path.join(cls.out, "report.html")
        with open(cls.html_path, encoding="utf-8") as f:
            cls.html = f.read()
        with open(os.path.join(cls.out, "findings.md"),
                  encoding="utf-8") as f:
            cls.markdown = f.read()

    def test_written(self):
        self.assertIn(self.html_path, self.written)
        self.assertEqual(len(self.pngs), len(plot.FIGURE_NAMES))

    def test_self_contained(self):
        page = parse(self.html)
        self.assertEqual(page.external, [])
        self.assertEqual(page.scripts, 0)
        self.assertNotIn("<link", self.html)
        self.assertNotIn("http://", self.html.replace(
            "http://www.w3.org", ""))
        self.assertNotIn("https://", self.html)
        self.assertNotIn("url(", self.html)

    def test_images_are_the_pngs(self):
        page = parse(self.html)
        self.assertEqual(len(page.images), len(self.pngs))
        embedded = set()
        for src in page.images:
            self.assertTrue(src.startswith("data:image/png;base64,"))
            embedded.add(base64.b64decode(src.split(",", 1)[1]))
        on_disk = set()
        for path in self.pngs:
            with open(path, "rb") as f:
                on_disk.add(f.read())
        self.assertEqual(embedded, on_disk)

    def test_metadata_of_every_file_escaped(self):
        for path in (GLIBC, MIMALLOC):
            self.assertIn(os.path.basename(path), self.html)
        for key in schema.META_KEYS:
            self.assertIn(f"<th>{key}</th>", self.html)
        self.assertIn("&lt;fixture &amp; &quot;quotes&quot;&gt;", self.html)
        self.assertNotIn("<fixture", self.html)

    def test_skipped_case_listed(self):
        self.assertIn("retain/N:1048576/k:16/M:50", self.html)
        self.assertIn("over budget", self.html)

    def test_findings_markdown(self):
        lines = self.markdown.splitlines()
        self.assertEqual(lines[0], f"## Findings: run {RUN_ID}")
        table = [l for l in lines if l.startswith("|")]
        self.assertEqual(len(table), 2 + 14)    # header, rule, 2 x 7 rows
        header = [c.strip() for c in table[0].strip("|").split("|")]
        self.assertEqual(header[:2], ["allocator", "strategy"])
        self.assertEqual(header[2:5], ["time/item, N = 64 B",
                                       "vs receive-only, N = 64 B",
                                       "amplification, N = 64 B"])
        self.assertIn("time/item, N = 64 KiB", header)
        self.assertIn("time/item, N = 1 MiB", header)
        rows = {tuple(c.strip() for c in l.strip("|").split("|")[:2]): l
                for l in table[2:]}
        retain = [c.strip() for c in
                  rows[("glibc", "`retain`")].strip("|").split("|")]
        self.assertEqual(retain[4], "4×")           # N/k = 64/16
        self.assertEqual(retain[7], "4096×")        # 64 KiB / 16
        self.assertEqual(retain[10], "65536×")      # 1 MiB / 16
        self.assertRegex(retain[2], r"^[0-9.]+ ns \([0-9.]+–[0-9.]+ ns\)$")
        self.assertTrue(retain[3].startswith("+"))
        skipped = [c.strip() for c in
                   rows[("mimalloc", "`retain`")].strip("|").split("|")]
        self.assertEqual(skipped[8:11], ["–", "–", "–"])

    def test_machine_check_shown(self):
        self.assertIn("<h2>Machine check</h2>", self.html)
        # Escaped warning text of the glibc file, and its keys.
        self.assertIn("CPU frequency governor is powersave; &lt;ASLR&gt; "
                      "is on", self.html)
        for key in ("aslr", "cpufreq_governor", "loadavg_1m"):
            self.assertIn(f"<th>{key}</th>", self.html)
        self.assertIn('class="warn"', self.html)

    def test_machine_check_absent(self):
        sel = plot.select(results.load_many([MIMALLOC]))
        page = report.render_html(sel, [], findings.findings(sel))
        self.assertIn("record no machine check", page)

    def test_findings_html_matches_markdown(self):
        sel = plot.select(results.load_many([GLIBC, MIMALLOC]))
        table = findings.findings(sel)
        self.assertEqual(table.markdown(), self.markdown)
        self.assertIn(table.html(), self.html)

    def test_representative_sizes(self):
        self.assertEqual(model.representative_sizes(
            [64, 4096, 65536, 1 << 20]), [64, 65536, 1 << 20])
        self.assertEqual(model.representative_sizes([1 << 20, 64]),
                         [64, 1 << 20])
        self.assertEqual(model.representative_sizes([100000, 16]),
                         [16, 100000])
        self.assertEqual(model.representative_sizes([4096]), [4096])


@unittest.skipUnless(os.access(CHROMIUM, os.X_OK),
                     f"{CHROMIUM} is not installed (the setup script "
                     "installs it; apt-get install chromium)")
class BrowserTest(unittest.TestCase):
    """The report as headless Chromium renders it."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = TMP
        cls.plots = len([p for p in WRITTEN if p.endswith(".png")])
        cls.url = "file://" + os.path.join(TMP, "out", "report.html")

    def chromium(self, *args):
        profile = tempfile.mkdtemp(dir=self.tmp, prefix="profile-")
        home = tempfile.mkdtemp(dir=self.tmp, prefix="home-")
        env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=home,
                   XDG_CACHE_HOME=home)
        command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                   "--disable-quic", "--no-first-run",
                   "--disable-background-networking",
                   "--disable-component-update", "--disable-sync",
                   f"--user-data-dir={profile}", *args, self.url]
        try:
            return subprocess.run(command, env=env, cwd=self.tmp,
                                  capture_output=True, text=True,
                                  timeout=CHROMIUM_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.fail(f"chromium did not finish in {CHROMIUM_TIMEOUT} s")

    def test_dom_has_one_data_image_per_plot(self):
        proc = self.chromium("--dump-dom")
        self.assertEqual(proc.returncode, 0, proc.stderr[-2000:])
        page = parse(proc.stdout)
        self.assertEqual(len(page.images), self.plots)
        for src in page.images:
            self.assertTrue(src.startswith("data:image/png;base64,"),
                            src[:60])

    def test_screenshot_is_not_blank(self):
        from matplotlib import image
        shot = os.path.join(self.tmp, "shot.png")
        proc = self.chromium(f"--screenshot={shot}", "--window-size=1280,2000")
        self.assertEqual(proc.returncode, 0, proc.stderr[-2000:])
        self.assertTrue(os.path.exists(shot), proc.stderr[-2000:])
        pixels = image.imread(shot)
        self.assertEqual(pixels.shape[:2], (2000, 1280))
        # A blank page is one colour: standard deviation 0. Text, tables
        # and plots give far more (values are in 0..1).
        self.assertGreater(float(pixels[..., :3].std()), 0.05)


if __name__ == "__main__":
    unittest.main()
