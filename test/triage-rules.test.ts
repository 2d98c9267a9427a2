import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createTriage } from "../src/triage/engine.ts";
import { looseKey } from "../src/triage/normalize.ts";
import { editDistance } from "../src/triage/patterns.ts";
import { DEFAULT_RULES_FILE, INDICATORS, RulesError, compileRules, loadRules } from "../src/triage/rules.ts";

const rules = loadRules();
const triage = createTriage();
const rulesText = readFileSync(DEFAULT_RULES_FILE, "utf8");

describe("rules file", () => {
  it("has rules for every level, with patterns in all six languages", () => {
    const levels = new Set(rules.rules.map((r) => r.level));
    expect([...levels].sort()).toEqual(["at_risk", "emergency", "trafficking"]);
    for (const r of rules.rules) {
      expect(new Set(r.patterns.map((p) => p.lang))).toEqual(new Set(["en", "ru", "kk", "uz", "ky", "tg"]));
      expect(INDICATORS).toContain(r.indicator);
    }
  });

  it("covers the ILO indicators the issue names", () => {
    const used = new Set(rules.rules.map((r) => r.indicator));
    for (const i of ["deception", "restriction_of_movement", "isolation", "physical_sexual_violence", "intimidation_threats", "retention_of_documents", "withholding_of_wages", "debt_bondage", "abusive_conditions", "excessive_overtime", "abuse_of_vulnerability"]) {
      expect(used, i).toContain(i);
    }
  });

  for (const rule of rules.rules) {
    describe(`rule ${rule.id}`, () => {
      it.each(rule.examples)("matches example: %s", (example) => {
        expect(triage.assess(example).rules).toContain(rule.id);
      });
      it.each(rule.counterExamples)("does not match counter-example: %s", (counter) => {
        expect(triage.assess(counter).rules).not.toContain(rule.id);
      });
    });
  }
});

describe("broken rules fail start-up with the rule id and the file", () => {
  const withRule = (mutate: (rule: Record<string, unknown>) => void, id = "documents_taken") => {
    const data = parse(rulesText) as { rules: Array<Record<string, unknown>> };
    const rule = data.rules.find((r) => r.id === id)!;
    mutate(rule);
    return data;
  };
  const write = (data: unknown) => {
    const dir = mkdtempSync(join(tmpdir(), "rules-"));
    const file = join(dir, "broken-rules.yaml");
    writeFileSync(file, JSON.stringify(data));
    return file;
  };

  it("an invalid regex", () => {
    const file = write(withRule((r) => ((r.patterns as Record<string, unknown[]>).en = ["<([unclosed> passport"])));
    expect(() => loadRules(file)).toThrow(RulesError);
    expect(() => loadRules(file)).toThrow(/broken-rules\.yaml.*rule "documents_taken".*regex/);
    expect(() => createTriage({ rulesFile: file })).toThrow(/documents_taken/);
  });

  it("an unknown word list", () => {
    const file = write(withRule((r) => ((r.patterns as Record<string, unknown[]>).ru = [["$nonexistent", "паспорт*"]])));
    expect(() => loadRules(file)).toThrow(/rule "documents_taken".*nonexistent/);
  });

  it("a missing language, an unknown indicator, a missing id", () => {
    expect(() => loadRules(write(withRule((r) => delete (r.patterns as Record<string, unknown>).tg)))).toThrow(/rule "documents_taken".*tg/);
    expect(() => loadRules(write(withRule((r) => (r.indicator = "bad_luck"))))).toThrow(/rule "documents_taken".*indicator/);
    expect(() => loadRules(write(withRule((r) => delete r.id)))).toThrow(/rule "#\d+"/);
  });

  it("a phrase that is not a word, a dangling gap, invalid YAML", () => {
    expect(() => loadRules(write(withRule((r) => ((r.patterns as Record<string, unknown[]>).en = ["took ..."]))))).toThrow(/documents_taken.*end with/);
    expect(() => loadRules(write(withRule((r) => ((r.patterns as Record<string, unknown[]>).en = ["pass@port"]))))).toThrow(/documents_taken/);
    expect(() => compileRules("rules: [unclosed", "x.yaml")).toThrow(/x\.yaml.*YAML/);
  });

  it("a duplicate id", () => {
    const data = parse(rulesText) as { rules: Array<Record<string, unknown>> };
    data.rules.push({ ...data.rules[0]! });
    expect(() => loadRules(write(data))).toThrow(/duplicate rule id/);
  });
});

describe("matching helpers", () => {
  it("folds scripts and spellings to one key", () => {
    expect(looseKey("работодатель забрал паспорт")).toBe(looseKey("rabotodatel zabral pasport"));
    expect(looseKey("qo'yishdi")).toBe(looseKey("қўйишди"));
    expect(looseKey("passport")).toBe(looseKey("pasport"));
    expect(looseKey("хозяин")).toBe(looseKey("hozyain"));
  });

  it("bounded edit distance counts swaps as one edit", () => {
    expect(editDistance("pasport", "paspotr", 1)).toBe(1);
    expect(editDistance("document", "documnet", 1)).toBe(1);
    expect(editDistance("document", "dcmnt", 1)).toBe(2);
  });
});
