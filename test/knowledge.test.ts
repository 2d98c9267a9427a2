import { describe, expect, it } from "vitest";
import { cpSync, mkdtempSync, writeFileSync, rmSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadCorpus } from "../src/knowledge/corpus.ts";
import { projectPath } from "../src/paths.ts";

const corpus = loadCorpus(projectPath("knowledge"));
const doc = (id: string) => corpus.documents.find((d) => d.id === id)!;
const byLocator = (locator: string) => corpus.passages.find((p) => p.locator === locator);

describe("knowledge ingestion", () => {
  it("loads the five documents under the ids the evaluation files use", () => {
    expect(corpus.documents.map((d) => d.id).sort()).toEqual([
      "astana-cable-2007",
      "borgen-project-kazakhstan",
      "osce-briefing-2010",
      "tip-2014-kazakhstan",
      "tip-2021-kazakhstan-protection",
    ]);
    for (const d of corpus.documents) expect(d.passages.length).toBeGreaterThan(3);
  });

  it("drops cable routing headers, page markers and the Refworld disclaimer", () => {
    const all = corpus.passages.map((p) => p.text).join("\n");
    expect(all).not.toMatch(/ASTANA 0000061\d/);
    expect(all).not.toMatch(/RUEHC|SIPDIS|VZCZC/);
    expect(all).not.toMatch(/UNHCR is not responsible/);
    expect(all).not.toContain("\\$");
  });

  it("splits the Borgen articles and cites each with its author, without glued titles", () => {
    const borgen = doc("borgen-project-kazakhstan").passages;
    expect(new Set(borgen.map((p) => p.author))).toEqual(new Set(["Aanchal Mishra", "Mikada Green", "Iris Anne Lobo"]));
    expect(borgen.some((p) => p.text.startsWith("Human Trafficking in Kazakhstan"))).toBe(false);
    const green = borgen.find((p) => p.author === "Mikada Green")!;
    expect(green.text.startsWith("According to the 2021 U.S. Department of State")).toBe(true);
    expect(green.locator).toBe("Borgen Project (Mikada Green) — Introduction, para 1");
  });

  it("finds TIP report sections and numbers paragraphs within them", () => {
    const sections = new Set(doc("tip-2014-kazakhstan").passages.map((p) => p.section));
    expect([...sections]).toEqual(["Country narrative", "Recommendations", "Prosecution", "Protection", "Prevention"]);
    const police = corpus.passages.find((p) => p.text.startsWith("Police investigated 138 trafficking cases in 2013"))!;
    expect(police.locator).toMatch(/^TIP 2014 — Prosecution, para 2/);
    expect(new Set(doc("tip-2021-kazakhstan-protection").passages.map((p) => p.section))).toEqual(new Set(["Protection"]));
  });

  it("reads cable paragraph labels, fixing scanned '16.' as ¶6 and '148.' as ¶48", () => {
    expect(byLocator("Cable 07ASTANA614 ¶6")?.text).toMatch(/^IOM registered 24 female victims/);
    expect(byLocator("Cable 07ASTANA614 ¶16 (part 1/2)")?.text).toMatch(/^The Government acknowledges/);
    expect(corpus.passages.find((p) => p.text.startsWith("Criminal gangs and small criminal groups"))?.paragraph).toBe("¶48");
    expect(byLocator("Cable 07ASTANA614 ¶63 (part 1/3)")?.section).toBe("Protection and assistance to victims");
  });

  it("redacts the embassy officer's phone numbers in ¶72", () => {
    const p72 = byLocator("Cable 07ASTANA614 ¶72")!;
    expect(p72.text).toContain("[number removed]");
    expect(p72.text).not.toMatch(/\d{3}-\d{4}|70-22|232-9941/);
    const all = corpus.passages.map((p) => p.text).join("\n");
    expect(all).not.toContain("+7-");
  });

  it("keeps sentences whole and offsets pointing at the passage text", () => {
    for (const d of corpus.documents) {
      for (const p of d.passages) {
        expect(d.text.slice(p.start, p.end)).toBe(p.text);
        expect(p.text.length).toBeLessThanOrEqual(1600);
        if (p.part) expect(p.text).toMatch(/[.;:!?)"”]$/);
      }
    }
  });

  it("gives the same ids for the same text across rebuilds, and unique ids", () => {
    const again = loadCorpus(projectPath("knowledge"));
    expect(again.passages.map((p) => p.id)).toEqual(corpus.passages.map((p) => p.id));
    expect(new Set(corpus.passages.map((p) => p.id)).size).toBe(corpus.passages.length);
    expect(again.hash).toBe(corpus.hash);
  });

  it("names the missing manifest, the missing folder and the bad entry", () => {
    const dir = mkdtempSync(join(tmpdir(), "hotline-kb-"));
    expect(() => loadCorpus(join(dir, "nope"))).toThrow(/Knowledge folder not found: .*nope/);
    expect(() => loadCorpus(dir)).toThrow(/manifest not found: .*manifest\.yaml/);
    cpSync(projectPath("knowledge"), dir, { recursive: true });
    const manifest = readFileSync(join(dir, "manifest.yaml"), "utf8");
    writeFileSync(join(dir, "manifest.yaml"), manifest.replace("year: 2021", "year: soon"));
    expect(() => loadCorpus(dir)).toThrow(/tip-2021-kazakhstan-protection.*year/);
    writeFileSync(join(dir, "manifest.yaml"), manifest.replace("file: sources/osce-briefing-2010.txt", "file: sources/missing.txt"));
    expect(() => loadCorpus(dir)).toThrow(/osce-briefing-2010.*file not found.*missing\.txt/);
    rmSync(dir, { recursive: true, force: true });
  });

  it("ingests a new plain document dropped into the folder with a manifest entry", () => {
    const dir = mkdtempSync(join(tmpdir(), "hotline-kb-"));
    cpSync(projectPath("knowledge"), dir, { recursive: true });
    writeFileSync(join(dir, "sources", "new-note.md"), "# Shelters\n\nA new shelter opened in Taraz in 2024. It has 12 beds.\n");
    const manifest = readFileSync(join(dir, "manifest.yaml"), "utf8");
    writeFileSync(
      join(dir, "manifest.yaml"),
      `${manifest}\n  - id: new-note\n    file: sources/new-note.md\n    title: A new note\n    short: Note 2024\n    publisher: Test\n    date: 2024\n    year: 2024\n    covers: "2024"\n`,
    );
    const c = loadCorpus(dir);
    const p = c.passages.find((x) => x.docId === "new-note")!;
    expect(p.locator).toBe("Note 2024 — Shelters, para 1");
    expect(p.text).toBe("A new shelter opened in Taraz in 2024. It has 12 beds.");
    expect(c.hash).not.toBe(corpus.hash);
    rmSync(dir, { recursive: true, force: true });
  });
});
