#!/usr/bin/python3
"""Tests of slicebench.report: findings.md and the self-contained report.html,
the latter also opened in headless Chromium (skipped when /usr/bin/chromium
is not installed).

Run from anywhere:  /usr/bin/python3 tests/python/test_report.py [-v]

Uses the fixtures in tests/fixtures/plot/ and tests/fixtures/families/
(the output of `scripts/families --quick`, as written) and writes only into temporary
directories (Chromium gets a fresh profile and HOME there).
"""

import base64
import html.parser
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import testenv  # first: REPO, scripts/ on sys.path, no bytecode

REPO = testenv.REPO

from slicebench import findings, model, plot, report, results  # noqa: E402
from slicebench import families, families_report, units  # noqa: E402
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


FAMILY_FIXTURES = os.path.join(REPO, "tests", "fixtures", "families")
FAM_MODEL = os.path.join(FAMILY_FIXTURES,
                         "families_20261127T053934Z_603a041.csv")
FAM_GO = os.path.join(FAMILY_FIXTURES, "families_20261127T053934Z_go.csv")


def family_sections(markdown):
    """{family: [table rows as lists of cells]} of a findings.md."""
    out, family = {}, None
    for line in markdown.splitlines():
        if line.startswith("### "):
            family = line[4:]
            out[family] = []
        elif family and line.startswith("| `"):
            out[family].append([c.strip() for c in line.strip("|").split("|")])
    return out


class FamiliesReportTest(unittest.TestCase):
    """The leak families section (slicebench.families_report), from
    fixtures made by `scripts/families --quick`."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="slicebench-families-report-")
        cls.both = plot.generate([GLIBC, FAM_GO, FAM_MODEL], quick=True,
                                 out_dir=os.path.join(cls.tmp, "both"))
        cls.alone = plot.generate([FAM_MODEL, FAM_GO],
                                  out_dir=os.path.join(cls.tmp, "alone"))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def read(self, folder, name):
        with open(os.path.join(self.tmp, folder, name), encoding="utf-8") as f:
            return f.read()

    def test_variants_described_once_for_every_variant(self):
        # Every variant of the fixtures, of the C table and of the Go table.
        seen = set()
        for path in (FAM_MODEL, FAM_GO):
            seen |= {(r["family"], r["variant"])
                     for r in families.load(path).rows}
        for source, pattern in (
                ("benchmarks/families_cases.c",
                 r'\{\s*"(\w+)",\s*"(\w+)",\s*\w+_run\s*\}'),
                ("benchmarks/go/families/families.go",
                 r'\{"(\w+)", "(\w+)"\}')):
            with open(os.path.join(REPO, source), encoding="utf-8") as f:
                found = set(re.findall(pattern, f.read()))
            self.assertEqual(found, seen, source)
        self.assertEqual(set(families.VARIANTS), seen)
        self.assertEqual(set(families.FAMILIES), {f for f, _ in seen})

    def test_one_table_per_family_with_both_sides(self):
        sections = family_sections(self.read("alone", "findings.md"))
        self.assertEqual(list(sections),
                         ["queue", "iovec", "temporary", "article"])
        self.assertEqual([len(v) for v in sections.values()], [7, 2, 5, 3])
        header = ("| variant | what it does | held, C model | held, Go | "
                  "same bytes | time/op, C model | time/op, Go |")
        self.assertEqual(self.read("alone", "findings.md").count(header), 4)
        front = sections["queue"][0]
        self.assertEqual(front[:6], ["`pop_front`", "q = q[1:] until popped",
                                     "1 MiB", "1 MiB", "yes", "11.9 ns"])
        self.assertEqual(front[6], "5.62 ns")
        nil = sections["queue"][1]
        self.assertEqual(nil[2:5], ["128 B", "128 B", "yes"])
        for family, rows in sections.items():
            for row in rows:
                self.assertEqual(row[4], "yes", (family, row))

    def test_families_alone_give_findings_and_report_only(self):
        self.assertEqual(sorted(os.path.basename(p) for p in self.alone),
                         ["findings.md", "report.html"])
        page = self.read("alone", "report.html")
        self.assertIn("<h2>Leak families</h2>", page)
        self.assertEqual(page.count("<h3 "), 4)
        self.assertNotIn("<img", page)
        self.assertIn("families_20261127T053934Z_go.csv", page)
        self.assertEqual(parse(page).external, [])

    def test_with_retention_files(self):
        md = self.read("both", "findings.md")
        self.assertTrue(md.startswith(f"## Findings: run {RUN_ID}"))
        self.assertIn("\n## Leak families\n", md)
        self.assertEqual(family_sections(md),
                         family_sections(self.read("alone", "findings.md")))
        page = self.read("both", "report.html")
        findings_at = page.index("<h2>Findings</h2>")
        families_at = page.index("<h2>Leak families</h2>")
        self.assertLess(findings_at, families_at)
        self.assertLess(families_at, page.index("<h2>Plots</h2>"))
        self.assertIn("<img", page)
        # The families files' metadata is among the input files'.
        self.assertIn("<th>go_version</th>", page)

    def test_disagreement_and_missing_variant(self):
        model, go = families.load(FAM_MODEL), families.load(FAM_GO)
        go.rows = [dict(r) for r in go.rows[1:]]      # no pop_front in Go
        go.rows[0]["held_bytes"] += 8                 # pop_front_nil differs
        table = families_report.family_tables([go, model])[0]
        self.assertEqual(table.header[2:4], ["held, C model", "held, Go"])
        self.assertEqual(table.rows[0][2:5], ["1 MiB", units.MISSING, "–"])
        self.assertEqual(table.rows[1][2:5], ["128 B", "136 B", "NO"])

    def test_labels_of_two_model_files_and_default_folder(self):
        one, two, go = (families.load(FAM_MODEL), families.load(FAM_MODEL),
                        families.load(FAM_GO))
        two.meta = dict(two.meta, allocator="jemalloc")
        labels = [label for label, _ in families_report.sources([go, one, two])]
        self.assertEqual(labels, ["C model (glibc)", "C model (jemalloc)", "Go"])
        header = families_report.family_tables([one, two, go])[0].header
        self.assertEqual(header[2:6], ["held, C model (glibc)",
                                       "held, C model (jemalloc)", "held, Go",
                                       "same bytes"])
        out = os.path.join(self.tmp, "default")
        os.mkdir(out)
        for path in (FAM_MODEL, FAM_GO):
            shutil.copy(path, out)
        written = plot.generate([os.path.join(out, os.path.basename(FAM_GO)),
                                 os.path.join(out, os.path.basename(FAM_MODEL))],
                                report=False)
        self.assertEqual(written, [os.path.join(out, go.run_id, "findings.md")])

    def test_cli_mixes_and_refuses(self):
        script = os.path.join(REPO, "scripts", "plot.py")
        out = os.path.join(self.tmp, "cli")
        proc = subprocess.run([sys.executable, script, "--out", out,
                               FAM_MODEL, FAM_GO], capture_output=True,
                              text=True, timeout=120)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(sorted(os.path.basename(l) for l in
                                proc.stdout.splitlines()),
                         ["findings.md", "report.html"])
        bad = os.path.join(self.tmp, "families_bad.csv")
        with open(FAM_GO, encoding="utf-8") as f:
            text = f.read()
        with open(bad, "w", encoding="utf-8") as f:
            f.write(text.replace(",held_bytes,", ",kept,"))
        proc = subprocess.run([sys.executable, script, "--out",
                               os.path.join(self.tmp, "bad"), GLIBC, bad],
                              capture_output=True, text=True, timeout=120)
        self.assertEqual(proc.returncode, 2)
        self.assertEqual(len(proc.stderr.splitlines()), 1, proc.stderr)
        self.assertIn("families_bad.csv: the header is not the families",
                      proc.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "bad")))


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

    def chromium(self, *args, url=None):
        profile = tempfile.mkdtemp(dir=self.tmp, prefix="profile-")
        home = tempfile.mkdtemp(dir=self.tmp, prefix="home-")
        env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=home,
                   XDG_CACHE_HOME=home)
        command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                   "--disable-quic", "--no-first-run",
                   "--disable-background-networking",
                   "--disable-component-update", "--disable-sync",
                   f"--user-data-dir={profile}", *args, url or self.url]
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

    def test_families_alone_rendered(self):
        out = os.path.join(self.tmp, "families-alone")
        plot.generate([FAM_MODEL, FAM_GO], out_dir=out)
        proc = self.chromium("--dump-dom",
                             url="file://" + os.path.join(out, "report.html"))
        self.assertEqual(proc.returncode, 0, proc.stderr[-2000:])
        self.assertEqual(proc.stdout.count('<table class="findings">'), 4)
        self.assertIn("Leak families</h2>", proc.stdout)

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
