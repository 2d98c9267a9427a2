/** `checkBank` names every bad entry of a broken bank file, and only the bad ones. */
import { describe, expect, it } from "vitest";
import { loadCorpus } from "../src/knowledge/corpus.ts";
import { projectPath } from "../src/paths.ts";
import { BankError, formatProblem, loadBank } from "../src/quiz/bank.ts";
import { checkBank } from "../src/quiz/check.ts";

const corpus = loadCorpus(projectPath("knowledge"));
const broken = projectPath("test", "fixtures", "quiz", "broken.yaml");

describe("quiz check on a broken bank", () => {
  const report = checkBank(broken, { corpus });
  const messages = (entry: string) => report.problems.filter((p) => p.entry === entry).map((p) => p.message);

  it("fails and keeps the valid entry", () => {
    expect(report.ok).toBe(false);
    expect(messages("good-one")).toEqual(["duplicate id (also in broken.yaml)"]);
    expect(report.questions.map((q) => q.id)).toContain("good-one");
  });

  it("names each bad entry with the rule it breaks", () => {
    expect(messages("wrong-fact")).toContain('key fact "140" is not in the cited passage (TIP 2014 — Prosecution, para 2 (part 1/6))');
    expect(messages("wrong-fact")).toContain('correct option "140" has the number 140, which the cited passage does not');
    expect(messages("same-options")).toEqual(['option 3 repeats an earlier option: "138"']);
    expect(messages("long-explanation")).toEqual(["explanation has 3 line breaks; limit 2"]);
    expect(messages("unknown-passage")[0]).toMatch(/cites passage tip-2014-kazakhstan:0000000000, which is not in the corpus \(the key fact is in tip-2014-kazakhstan:bb586bee5e/);
    expect(messages("one-option")).toEqual(["has 1 options; needs 2-10"]);
    expect(messages("bad-topic")[0]).toMatch(/^topic Invalid enum value.*received 'cooking'/);
    expect(messages("correct-out-of-range")).toEqual(["correct is 2 but there are only 2 options (0 = first)"]);
    expect(messages("key-in-distractor")).toEqual(['option 2 "138 or more cases" also contains the key fact']);
    expect(messages("wrong-locator")).toEqual([
      "citation doc is tip-2021-kazakhstan-protection but passage tip-2014-kazakhstan:bb586bee5e is in tip-2014-kazakhstan",
      'citation locator is "TIP 2014 — Protection, para 9"; the passage\'s is "TIP 2014 — Prosecution, para 2 (part 1/6)"',
    ]);
    expect(messages("missing-translation")).toEqual(["languages lists ru but there is no translation"]);
    expect(messages("translation-numbers")).toEqual(['translation ru option 1 has different numbers from English "138"']);
    expect(messages("pending-review")).toEqual(["not reviewed yet (review: generated, not checked)"]);
  });

  it("reports every bad entry and nothing about entries that are fine", () => {
    const named = new Set(report.problems.map((p) => p.entry));
    expect([...named].sort()).toEqual(
      [
        "bad-topic", "correct-out-of-range", "good-one", "key-in-distractor", "long-explanation", "missing-translation",
        "one-option", "pending-review", "same-options", "translation-numbers", "unknown-passage", "wrong-fact", "wrong-locator",
      ].sort(),
    );
    expect(formatProblem(report.problems[0]!)).toMatch(/^ERROR broken\.yaml \[/);
  });

  it("accepts entries pending review only when asked to", () => {
    const lenient = checkBank(broken, { corpus, allowPendingReview: true });
    expect(lenient.problems.some((p) => p.entry === "pending-review")).toBe(false);
  });

  it("refuses to load a bank with bad entries, listing them", () => {
    expect(() => loadBank(broken)).toThrow(BankError);
    expect(() => loadBank(broken)).toThrow(/\[one-option\]: has 1 options/);
  });
});
