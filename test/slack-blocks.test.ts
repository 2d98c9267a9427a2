/** Block Kit layout and mrkdwn handling for Slack answers (no network). */
import { describe, expect, it } from "vitest";
import type { Answer } from "../src/answers/types.ts";
import { localeOf } from "../src/language/languages.ts";
import { Prompts } from "../src/prompts.ts";
import { answerView, passageView } from "../adapters/slack/blocks/answer.ts";
import { chunks, escape, toPlain, truncate } from "../adapters/slack/mrkdwn.ts";
import type { Texts } from "../adapters/slack/texts.ts";
import { WorkQueue } from "../adapters/slack/queue.ts";
import { blockText, buttons } from "./helpers/fake-slack.ts";

const prompts = new Prompts();
const tx = (lang: "en" | "ru" = "en"): Texts => ({ locale: localeOf(lang), t: (k, v) => prompts.t(localeOf(lang), k, v), has: (k) => prompts.has(k) });

const answer: Answer = {
  question: "Fines < 5 & jail > 2?",
  locale: localeOf("en"),
  kind: "passages",
  found: true,
  answer: "Penalties range from 5 to 15 years <b>imprisonment</b> & fines [1]",
  lead: [{ text: "Penalties range…", citation: 1 }],
  citations: [
    { rank: 1, source: "tip-2021", title: "TIP Report 2021 <Kazakhstan>", year: 2021, locator: "TIP 2021 — Prosecution, para 1", passageId: "tip-2021:abc", text: `Penalties of <5> & more. ${"x ".repeat(500)}`, score: 1 },
  ],
  notices: [{ code: "truncated", text: "Your message was very long" }],
  suggestions: [],
};

describe("Slack mrkdwn", () => {
  it("escapes &, < and >", () => {
    expect(escape("a & <b> c")).toBe("a &amp; &lt;b&gt; c");
  });

  it("turns Slack markup back into what was typed", () => {
    expect(toPlain("<@U123ABC> fines &lt;5 &amp; <https://x.org|link> in <#C1|general>")).toBe("fines <5 & link in #general");
  });

  it("truncates at a word boundary and splits long text under the limit", () => {
    expect(truncate("one two three four", 10)).toBe("one two…");
    const parts = chunks("Sentence one. ".repeat(400), 1000);
    expect(parts.every((p) => p.length <= 1000)).toBe(true);
    expect(parts.join(" ").replace(/\s+/g, " ").trim()).toBe("Sentence one. ".repeat(400).trim());
  });
});

describe("answer blocks", () => {
  it("escapes answers, titles and passages, and quotes each citation in a context block", () => {
    const view = answerView(answer, tx(), { question: answer.question });
    const text = blockText(view.blocks);
    expect(text).toContain("Fines &lt; 5 &amp; jail &gt; 2?");
    expect(text).toContain("&lt;b&gt;imprisonment&lt;/b&gt; &amp; fines [1]");
    expect(text).toContain("*[1]* TIP Report 2021 &lt;Kazakhstan&gt; (2021) · TIP 2021 — Prosecution, para 1");
    expect(text).toContain(">Penalties of &lt;5&gt; &amp; more.");
    expect(text).not.toMatch(/<(?!@)[a-z5]/);
    const context = view.blocks.find((b) => b.type === "context" && blockText(b).includes("*[1]*"));
    expect(context).toBeDefined();
    expect(view.text).not.toContain("<b>");
  });

  it("offers Show full passage and feedback buttons carrying passage ids", () => {
    const b = buttons(answerView(answer, tx()).blocks);
    expect(b.find((x) => x.action_id === "hotline_show_passage_1")?.value).toBe("tip-2021:abc");
    expect(b.find((x) => x.action_id === "hotline_feedback_up")?.value).toBe("tip-2021:abc");
    expect(buttons(answerView(answer, tx(), { noFeedback: true }).blocks).some((x) => x.action_id.startsWith("hotline_feedback"))).toBe(false);
  });

  it("keeps every block within Slack's limits for a very long passage", () => {
    const long = { ...answer.citations[0]!, text: "Word & <more>. ".repeat(1000) };
    const view = passageView(long, tx());
    for (const b of view.blocks) {
      if (b.type === "section") expect(b.text!.text.length).toBeLessThanOrEqual(3000);
    }
    expect(blockText(view.blocks)).toContain("&amp; &lt;more&gt;");
  });

  it("renders a guidance card with its contacts, escaped", () => {
    const card: Answer = {
      ...answer,
      kind: "card",
      answer: "Keep a copy of your documents & call <116 16>.",
      citations: [],
      notices: [],
      card: {
        id: "documents-taken",
        title: "Documents taken",
        body: "Keep a copy of your documents & call <116 16>.",
        contacts: [{ id: "h", name: "National trafficking hotline", phone: "116 16", purpose: "Help", source: "s", checked: "2025", verify: true }],
      },
    };
    const text = blockText(answerView(card, tx()).blocks);
    expect(text).toContain("*Documents taken*");
    expect(text).toContain("documents &amp; call &lt;116 16&gt;.");
    expect(text).toContain("• National trafficking hotline — *116 16* (number to be confirmed): Help");
  });

  it("uses Russian fixed texts and notes that quotes stay in English", () => {
    const text = blockText(answerView({ ...answer, locale: localeOf("ru") }, tx("ru")).blocks);
    expect(text).toContain(prompts.t(localeOf("ru"), "answers.quoted_in_english"));
    expect(buttons(answerView(answer, tx("ru")).blocks)[0]!.text).toBe("Весь фрагмент [1]");
  });
});

describe("Slack prompts", () => {
  it("define every Slack text in English and Russian", () => {
    const keys = prompts.keys().filter((k) => k.startsWith("slack."));
    expect(keys.length).toBeGreaterThan(30);
    const ru = new Set(prompts.ownKeys("ru"));
    expect(keys.filter((k) => !ru.has(k))).toEqual([]);
  });
});

describe("work queue", () => {
  it("runs at most `concurrency` tasks at once and drains", async () => {
    const q = new WorkQueue(2);
    let running = 0;
    let peak = 0;
    const task = async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setImmediate(r));
      running--;
    };
    const all = Promise.all(Array.from({ length: 10 }, () => q.run(task)));
    await q.drain();
    await all;
    expect(peak).toBe(2);
    expect(q.size).toBe(0);
  });
});
