import { readFileSync } from "node:fs";
import path from "node:path";
import {
  REPO_ROOT,
  checkMarkdown,
  checkQuotedTestNames,
  markdownFiles,
  slugOf,
} from "./markdownLinks";

const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), "utf8");
const described = (problems: { line: number; message: string }[]) =>
  problems.map((problem) => `line ${problem.line}: ${problem.message}`);

describe("the repository's Markdown", () => {
  it("covers the README, docs/ and every package README", () => {
    expect(markdownFiles()).toEqual(
      expect.arrayContaining([
        "README.md",
        "docs/architecture.md",
        "docs/guarantees.md",
        "docs/http-api.md",
        "docs/messages.md",
        "infra/local/README.md",
        "tools/README.md",
        "shared/workers/README.md",
      ]),
    );
  });

  it.each(markdownFiles())("%s: every link, anchor and backticked path resolves", (file) => {
    expect(described(checkMarkdown(file, read(file)))).toEqual([]);
  });

  it.each(markdownFiles().filter((file) => file.startsWith("docs/")))(
    "%s: every test it quotes is in the test file it names",
    (file) => {
      expect(described(checkQuotedTestNames(file, read(file)))).toEqual([]);
    },
  );
});

describe("the checks themselves", () => {
  // A page that would sit in tests/docs/: its relative links resolve from there.
  const file = "tests/docs/page.md";

  it("report a missing file, a missing anchor and a missing backticked path", () => {
    const text = [
      "# Page",
      "[here](#page) [readme](../../README.md#settings) [web](https://example.com/x)",
      "[gone](../../docs/nothing.md) [bad anchor](../../README.md#no-such-heading)",
      "`shared/config/names.ts` `shared/config/renamed.ts` `tools/deploy/*.test.ts`",
      "`application/json` `dist/functions/index.js` `.local/outbox`",
      "```",
      "[inside a fence](nowhere.md) `shared/nowhere.ts`",
      "```",
    ].join("\n");
    expect(described(checkMarkdown(file, text))).toEqual([
      "line 3: link ../../docs/nothing.md: no such file in the repository",
      "line 3: link ../../README.md#no-such-heading: no heading with anchor #no-such-heading",
      "line 4: path `shared/config/renamed.ts`: no such file in the repository",
    ]);
  });

  it("report a quoted test name the named test file does not hold", () => {
    const text = [
      '| [`shared/domain/money.test.ts`](x) | "adds amounts of one currency"; "refuses quantity 1.5" |',
      '| `shared/domain/money.test.ts` | "adds amounts of two currencies" |',
    ].join("\n");
    expect(described(checkQuotedTestNames(file, text))).toEqual([
      'line 2: test "adds amounts of two currencies" is not in shared/domain/money.test.ts',
    ]);
  });

  it("make GitHub's anchors", () => {
    expect(slugOf("The pipeline (`.github/workflows/ci.yml`)")).toBe(
      "the-pipeline-githubworkflowsciyml",
    );
    expect(slugOf("6. A terminal order agrees with the participants' records")).toBe(
      "6-a-terminal-order-agrees-with-the-participants-records",
    );
    expect(slugOf("4. At most one email per (order, template)")).toBe(
      "4-at-most-one-email-per-order-template",
    );
  });
});
