// Browser test of `lemma serve`'s UI in headless Chromium (Debian's chromium,
// driven by playwright-core from npm): the home page, a lesson whose cell is
// edited and run (its value and its plot), a saved and reopened notebook, the
// REPL, a practice problem answered wrongly and then rightly with a hint and
// the worked solution, and the progress page before and after. A screenshot of
// each page goes into OUTDIR. Expected values are worked by hand (6*7 = 42,
// one wrong and one right answer: "1 of 2").
// Usage: node browser.mjs BASE_URL OUTDIR CHROMIUM_PATH
import { strict as assert } from "node:assert";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const [base, outdir, chromiumPath] = process.argv.slice(2);
const require = createRequire(join(dirname(fileURLToPath(import.meta.url)), "../../package.json"));
const { chromium } = require("playwright-core");
mkdirSync(outdir, { recursive: true });

const browser = await chromium.launch({ executablePath: chromiumPath, headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
const page = await context.newPage();
const problems = [];
page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
page.on("console", (m) => { if (m.type() === "error") problems.push(`console error: ${m.text()}`); });
page.setDefaultTimeout(15000);

let step = "start";
const ok = (what) => console.log(`ok   ${what}`);
const shot = async (name) => page.screenshot({ path: join(outdir, `${name}.png`), fullPage: true });

try {
  step = "home";
  await page.goto(`${base}/#/`);
  await page.locator(".module").first().waitFor();
  const lessonLinks = page.locator('.module a[href^="#/lesson/"]');
  assert.ok(await lessonLinks.count() >= 1, "the home page lists lessons");
  await shot("home");
  ok("home page shows the paths");

  step = "progress before";
  const { skills } = await (await page.request.get(`${base}/api/skills`)).json();
  const skill = skills[0].id;
  await page.goto(`${base}/#/progress`);
  const row = page.locator(`tr[data-skill="${skill}"]`);
  await row.waitFor();
  assert.equal((await row.locator("td").nth(2).textContent()).trim(), "0 of 0");
  ok("progress before practice: 0 of 0");

  step = "lesson";
  await page.goto(`${base}/#/`);
  await lessonLinks.first().click();
  const cell = page.locator(".lesson .cell").first();
  await cell.locator("textarea.code").waitFor();
  assert.ok(await page.locator(".katex").count() >= 1, "the lesson's math is typeset by KaTeX");
  await cell.locator("textarea.code").fill("a = 6*7");
  await cell.locator("button.run").click();
  await cell.locator(".output .result").filter({ hasText: "42" }).waitFor();
  assert.match(await cell.locator(".output").textContent(), /a = 42/);
  ok("edited cell runs: a = 42");
  await cell.locator("textarea.code").fill("a + 1\nplot(sin(x), x, -pi, pi)");
  await cell.locator("textarea.code").press("Shift+Enter");
  await cell.locator(".output svg").waitFor();
  assert.match(await cell.locator(".output").textContent(), /43/);
  assert.ok((await cell.locator(".output svg").boundingBox()).width > 100, "the plot is drawn");
  ok("the cell keeps the session (43) and shows its plot as SVG");
  await shot("lesson");
  await page.click("#save-notebook");
  await page.reload();
  await page.locator(".lesson .cell textarea.code").first().waitFor();
  assert.equal(await page.locator(".lesson .cell textarea.code").first().inputValue(), "a + 1\nplot(sin(x), x, -pi, pi)");
  await page.locator(".notice").filter({ hasText: "saved copy" }).waitFor();
  ok("the edited notebook was saved and reopens");
  await page.click("#reset-notebook");
  await page.locator(".lesson .cell textarea.code").first().waitFor();
  assert.notEqual(await page.locator(".lesson .cell textarea.code").first().inputValue(), "a + 1\nplot(sin(x), x, -pi, pi)");
  ok("restore the original notebook");

  step = "repl";
  await page.goto(`${base}/#/repl`);
  await page.fill("#repl-input", "b = 2 + 3");
  await page.press("#repl-input", "Enter");
  await page.locator(".repl-entry .result").filter({ hasText: "b = 5" }).waitFor();
  await page.fill("#repl-input", "[b 1; 1 b]");
  await page.press("#repl-input", "Enter");
  await page.locator(".repl-entry .result.matrix .katex").waitFor();
  await shot("repl");
  ok("REPL keeps its session and typesets a matrix");

  step = "practice";
  const next = page.waitForResponse((r) => r.url().includes("/api/practice/next"));
  await page.goto(`${base}/#/practice/${skill}`);
  const problem = await (await next).json();
  await page.locator("#answer").waitFor();
  await page.fill("#answer", "123456789");
  await page.click("#check");
  await page.locator(".feedback.wrong").waitFor();
  ok("a wrong answer is marked wrong with feedback");
  if (problem.nhints > 0) {
    await page.click("#hint");
    await page.locator("#hints li").first().waitFor();
    ok("a hint is shown");
  }
  await page.click("#solution");
  await page.locator("ol.solution li").first().waitFor();
  ok("the step-by-step solution is shown");
  const sol = await (await page.request.get(
    `${base}/api/practice/solution?skill=${encodeURIComponent(skill)}&seed=${problem.seed}&difficulty=${problem.difficulty}`)).json();
  await page.fill("#answer", sol.answer);
  await page.press("#answer", "Enter");
  await page.locator(".feedback.correct").waitFor();
  await shot("practice");
  ok(`the right answer (${sol.answer}) is marked correct`);

  step = "progress after";
  await page.goto(`${base}/#/progress`);
  await row.waitFor();
  assert.equal((await row.locator("td").nth(2).textContent()).trim(), "1 of 2");
  assert.notEqual((await row.locator(".badge").textContent()).trim(), "not started");
  await shot("progress");
  ok("progress after practice: 1 of 2, mastery moved");

  step = "phone";
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto(`${base}/#/`);
  await page.locator(".module").first().waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the home page fits a phone's width (overflow ${overflow}px)`);
  await shot("home-phone");
  ok("home page fits a phone screen");

  assert.deepEqual(problems, [], "no script errors or blocked resources");
  ok("no console errors");
} catch (e) {
  await shot(`failed-${step.replace(/\s+/g, "-")}`).catch(() => {});
  console.error(`FAIL at ${step}: ${e.message}`);
  if (problems.length) console.error(problems.join("\n"));
  await browser.close();
  process.exit(1);
}
await browser.close();
console.log(`browser test passed; screenshots in ${outdir}`);
