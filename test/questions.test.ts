/**
 * Questions per passage (knowledge/questions/*.jsonl): every line names a passage that exists,
 * with the hash of its text; a wrong id or hash fails here naming the file and line; a stale
 * line (the passage's text changed, so its id changed) is skipped with a warning.
 */
import { describe, expect, it } from "vitest";
import { loadCorpus } from "../src/knowledge/corpus.ts";
import { loadQuestions, parseQuestions, passageTextHash } from "../src/knowledge/questions.ts";
import { projectPath } from "../src/paths.ts";
import { QuestionField } from "../src/retrieval/question-field.ts";

const corpus = loadCorpus(projectPath("knowledge"));
const passage = corpus.passages.find((p) => p.text.includes("Almaty is the primary destination"))!;
const line = (o: Record<string, unknown>) => JSON.stringify({ passage: passage.id, hash: passageTextHash(passage.text), lang: "en", question: "Which city do migrant workers go to?", ...o });

describe("knowledge/questions", () => {
  const set = loadQuestions(projectPath("knowledge", "questions"), corpus);

  it("has no wrong lines (the message names file and line)", () => {
    expect(set.errors, set.errors.slice(0, 10).join("\n")).toEqual([]);
  });

  it("has questions for most passages, in all six languages", () => {
    for (const lang of ["en", "ru", "kk", "uz", "ky", "tg"]) expect(set.counts[lang] ?? 0, lang).toBeGreaterThan(50);
    expect(set.byPassage.size / corpus.passages.length).toBeGreaterThan(0.9);
  });

  it("reports a wrong hash, an unknown document and a malformed line with file and line; skips a stale one", () => {
    const r = parseQuestions(
      [
        {
          file: "knowledge/questions/w.jsonl",
          text: [
            line({}),
            line({ hash: "000000000000" }),
            line({ passage: "no-such-doc:0123456789" }),
            line({ passage: `${passage.docId}:0123456789` }),
            line({ lang: "fr" }),
            "{not json",
          ].join("\n"),
        },
      ],
      corpus,
    );
    expect(r.byPassage.get(passage.id)).toEqual([{ lang: "en", question: "Which city do migrant workers go to?" }]);
    expect(r.errors).toHaveLength(4);
    expect(r.errors[0]).toMatch(/^knowledge\/questions\/w\.jsonl:2: hash 000000000000 does not match/);
    expect(r.errors[1]).toMatch(/w\.jsonl:3: unknown document "no-such-doc"/);
    expect(r.errors[2]).toMatch(/w\.jsonl:5: lang/);
    expect(r.errors[3]).toMatch(/w\.jsonl:6: not valid JSON/);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/w\.jsonl:4: .*no longer exists/);
  });

  it("finds a passage through its questions when the passage's own words differ", () => {
    const r = parseQuestions([{ file: "w.jsonl", text: line({ question: "Where do most folks arriving for jobs head to?" }) }], corpus);
    const field = new QuestionField(r);
    const hits = field.search(["folk", "arriv", "job", "head"], "en", [], 5);
    expect(hits.english[0]?.passageId).toBe(passage.id);
  });
});
