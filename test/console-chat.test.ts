import { describe, expect, it } from "vitest";
import { PassThrough } from "node:stream";
import { runConsoleChat } from "../adapters/console/chat.ts";
import { testAssistant } from "./helpers/assistant.ts";

const assistant = await testAssistant();

async function chat(lines: string[]): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let out = "";
  output.on("data", (c: Buffer) => (out += c.toString()));
  const done = runConsoleChat({ assistant, input, output });
  input.end(`${lines.join("\n")}\n`);
  await done;
  return out;
}

describe("console chat", () => {
  it("greets with the safety line, answers with citations and says goodbye", async () => {
    const out = await chat(["How many calls did the hotline receive in 2020?", "/quit"]);
    expect(out).toMatch(/^Hello\./);
    expect(out).toContain("In danger now? Call 112. Trafficking hotline: 116 16");
    expect(out).toContain("1,341 phone calls in 2020");
    expect(out).toContain("[1] TIP 2021 — Protection");
    expect(out).toMatch(/Take care\..*116 16/);
  });

  it("lists the sources and the commands", async () => {
    const out = await chat(["/sources", "/help"]);
    expect(out).toContain("Trafficking in Persons Report 2021: Kazakhstan, Protection section — US Department of State");
    expect(out).toContain("Kazakhstan submissions for 2007 TIP report (cable 07ASTANA614)");
    expect(out).toContain("/language CODE");
  });

  it("switches language on request and on the person's own language", async () => {
    const out = await chat(["/language ru", "/help", "/language xx"]);
    expect(out).toContain("Я буду отвечать на языке: Русский.");
    expect(out).toContain("Задайте вопрос");
    expect(out).toContain("Выберите код языка");
    const auto = await chat(["Сколько звонков поступило на горячую линию в 2020 году?"]);
    expect(auto).toContain("Источники:");
  });

  it("survives empty lines, emoji, binary and unknown commands", async () => {
    const out = await chat(["", "🙏🙏", "\u0000\u0001\u0002", "/frobnicate", "/forget"]);
    expect(out).toContain("Please write your question in words");
    expect(out).toContain("I don't know that command");
    expect(out).toContain("nothing was stored");
    expect(out).toContain("Take care.");
  });

  it("keeps the crisis state after a disclosure: follow-ups get safety replies, never a report quote", async () => {
    const out = await chat(["the boss took my passport and does not pay me", "help", "мне страшно", "я в Шымкенте", "we are 6 people, no food", "I can only text, I cannot call", "/quit"]);
    // The first reply: short, believes the person, the number for the level.
    const firstReply = out.slice(out.indexOf("-- "), out.indexOf("/forget", out.indexOf("-- ")) + 7);
    expect(firstReply).toMatch(/I believe you/);
    expect(firstReply).toContain("116 16");
    expect(firstReply.length).toBeLessThanOrEqual(600);
    // No report quote (citations) anywhere in the conversation.
    expect(out).not.toMatch(/\[1\]|Sources:|Источники:|TIP 20\d\d|Cable 07ASTANA/);
    expect(out).not.toMatch(/the reports do not say|в отчётах об этом не сказано/i);
    // Each follow-up gets a safety line with a number; "I can only text" gets the text line 111 first.
    const afterFirst = out.slice(out.indexOf(firstReply) + firstReply.length);
    expect((afterFirst.match(/\n(--|!!) /g) ?? []).length).toBeGreaterThanOrEqual(5);
    expect(afterFirst).toContain("Не пишите здесь точный адрес"); // "я в Шымкенте"
    expect(afterFirst).toMatch(/how many of you there are/); // "we are 6 people"
    const textOnly = afterFirst.slice(afterFirst.lastIndexOf("\n-- "));
    expect(textOnly).toMatch(/111/);
    expect(textOnly.indexOf("111")).toBeLessThan(textOnly.includes("112") ? textOnly.indexOf("112") : Infinity);
  });

  it("answers a yes/no question typed after a disclosure, and /forget ends the crisis state", async () => {
    const out = await chat(["they locked us in the basement", "help", "no", "/forget", "How many calls did the hotline receive in 2020?"]);
    expect(out).toContain("112");
    expect(out).toMatch(/\(y\/n\)/); // "Are you safe right now?" asked once
    expect(out).toContain("1,341 phone calls in 2020"); // after /forget the bot answers questions again
  });
});
