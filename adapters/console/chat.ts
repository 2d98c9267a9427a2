/**
 * The console chat: the embedded default when no platform credentials are set (`npm start`).
 * It runs the same pipeline as the bots — triage first, then the answer — and reads from any
 * stream, so it can be scripted and tested. Nothing typed is stored or logged.
 */
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { Assistant } from "../../src/index.ts";
import { formatAnswerText } from "../../src/index.ts";
import { formatTriageText } from "./triage-text.ts";
import { runConsoleQuiz } from "./quiz.ts";
import type { QuizBank } from "../../src/index.ts";
import { LANGUAGE_NAMES, LANGUAGES, type Locale, localeTag, parseLocale } from "../../src/index.ts";
import { Conversation, formatContactLine, isOpen, type ConversationTurn, type CrisisState, type FirstReply } from "../../src/index.ts";

export interface ConsoleChatOptions {
  assistant: Assistant;
  input: Readable;
  output: Writable;
  /** Start in this language; otherwise it follows the language of the messages. */
  locale?: Locale;
  /** The quiz bank from `createApp` (KNOWLEDGE_DIR/quiz); by default knowledge/quiz/. */
  quizBank?: QuizBank;
}

export async function runConsoleChat({ assistant, input, output, locale: initial, quizBank }: ConsoleChatOptions): Promise<void> {
  const interactive = (input as { isTTY?: boolean }).isTTY === true;
  const rl = createInterface({ input, output: interactive ? output : undefined, terminal: interactive });
  const print = (text: string) => output.write(`${text}\n`);
  let chosen: Locale | undefined = initial;
  let locale: Locale = initial ?? { lang: "en", script: "latin" };
  const t = (key: string, vars?: Record<string, string | number>) => assistant.t(locale, key, vars);
  // The conversation's safety state after a disclosure (level, indicators, language, time; never
  // the text), in memory for this chat, as the Telegram bot keeps it in its session.
  const conversation = new Conversation(assistant);
  let crisis: CrisisState | undefined;

  print(t("console.welcome"));
  print(t("console.safety_line"));
  print(t("console.help_hint"));
  if (interactive) rl.setPrompt("> ");
  if (interactive) rl.prompt();

  const lines = rl[Symbol.asyncIterator]();
  const nextLine = async (): Promise<string | null> => {
    const r = await lines.next();
    return r.done ? null : String(r.value);
  };
  for (let line = await nextLine(); line !== null; line = await nextLine()) {
    const text = line.trim();
    if (!text) {
      if (interactive) rl.prompt();
      continue;
    }
    if (text === "/quit" || text === "/exit") break;
    if (text.startsWith("/")) {
      const [command, arg] = text.split(/\s+/, 2);
      if (command === "/help") print(t("console.help"));
      else if (command === "/sources") {
        print(t("console.sources_heading"));
        for (const d of assistant.documents()) print(`  • ${d.title} — ${d.publisher}, ${d.date} (${t("console.covers")}: ${d.covers})`);
      } else if (command === "/language") {
        const next = parseLocale(arg);
        if (next) {
          chosen = locale = next;
          print(t("console.language_set", { language: LANGUAGE_NAMES[next.lang] }));
        } else print(t("console.language_list", { codes: LANGUAGES.join(", ") + ", uz-Cyrl" }));
      } else if (command === "/forget") {
        crisis = undefined;
        print(t("console.forget"));
      } else if (command === "/contacts") {
        // The other contacts of the level (Telegram's "More contacts" button).
        const level = isOpen(crisis) ? crisis.level : "at_risk";
        print(t("conversation.more_contacts"));
        for (const c of conversation.moreContacts(level, crisis?.indicators ?? [], locale)) print(formatContactLine(c, locale));
      }
      else if (command === "/quiz") {
        // "/quiz", "/quiz figures", "/quiz 3", "/quiz figures 3"
        const words = text.split(/\s+/).slice(1);
        const count = words.find((w) => /^\d+$/.test(w));
        const asked = words.map((w) => parseLocale(w)).find((l) => l !== undefined);
        const topic = words.find((w) => !/^\d+$/.test(w) && !parseLocale(w));
        const quizIO = {
          ask: async (question: string) => {
            print(question);
            if (interactive) rl.prompt();
            return nextLine();
          },
          print,
        };
        await runConsoleQuiz(quizIO, { locale: asked ?? locale, topic, count: count ? Number(count) : 5, ...(quizBank ? { bank: quizBank } : {}) });
      }
      else if (command === "/start") print(t("console.welcome"));
      else if (command === "/check") {
        // The guided check: one yes/no question at a time; "stop" ends it. Only the step and the yes-ids are kept, in memory.
        print(t("check.intro"));
        const order = assistant.guidedCheckQuestions();
        let state = { step: 0, yes: [] as string[] };
        let question = order[0];
        while (question) {
          print(`${t("check.progress", { n: state.step + 1, total: order.length })}: ${assistant.checkQuestionText(question, locale)} (y/n)`);
          const reply = (await nextLine())?.trim().toLowerCase();
          if (reply === undefined || reply === "stop" || reply === "/stop") {
            print(t("check.stopped"));
            break;
          }
          const step = assistant.guidedCheckStep(state, /^(y|yes|да|ha|иә|ооба|ҳа)/.test(reply), locale);
          state = step.state;
          question = step.next;
          if (step.result) print(step.result.reply ? formatTriageText(step.result) : t("check.result_none"));
        }
      }
      else print(t("console.unknown_command"));
    } else {
      // Triage first, then the crisis context (src/conversation), then the ordinary answer:
      // after a disclosure, follow-ups ("help", "мне страшно", "я в Шымкенте") get short
      // safety replies, never a report quote.
      const detected = assistant.detect(text, locale);
      if (!chosen && detected.confidence > 0) locale = detected.locale;
      try {
        const turn = await conversation.turn(text, { locale, state: crisis });
        if (turn.state) crisis = turn.state;
        printTurn(turn, locale, print, assistant);
        if (turn.kind !== "follow" && turn.triage.check) {
          // The model's check-in as a y/n question; only "yes" takes the fixed route.
          print(`${t("check.checkin_intro")} ${turn.triage.check.text} (y/n)`);
          const reply = (await nextLine())?.trim().toLowerCase() ?? "";
          const confirmed = /^(y|yes|да|ha|иә|ооба|ҳа)/.test(reply) ? assistant.confirmCheck(turn.triage.check.question, locale) : undefined;
          if (confirmed && confirmed.level !== "none") {
            const first = conversation.firstReply(confirmed, locale);
            crisis = { level: first.level, indicators: confirmed.indicators, locale: localeTag(locale), at: Date.now(), asked: [] };
            print(formatFirst(first, locale));
          } else print(t("conversation.follow.acknowledge"));
        }
      } catch {
        print(t("answers.error"));
      }
    }
    print("");
    if (interactive) rl.prompt();
  }
  print(t("console.bye"));
  rl.close();
}

/** The short first reply as text: believe, one or two numbers, one step, one line on privacy. */
function formatFirst(first: FirstReply, locale: Locale): string {
  const bar = first.level === "emergency" ? "!!" : "--";
  return [`${bar} ${first.intro}`, first.contacts.map((c) => formatContactLine(c, locale)).join("\n"), first.nextStep, first.privacy].filter(Boolean).join("\n\n");
}

function printTurn(turn: ConversationTurn, locale: Locale, print: (text: string) => void, assistant: Assistant): void {
  if (turn.kind === "first") {
    print(`\n${formatFirst(turn.first, locale)}\n`);
    return;
  }
  if (turn.kind === "follow") {
    const lines = [turn.follow.text];
    if (turn.question) lines.push(`${turn.question.text} (y/n)`);
    print(`\n-- ${lines.join("\n\n")}\n`);
    if (turn.answer) print(formatAnswerText(turn.answer, assistant.prompts, { quotes: "cited" }));
    return;
  }
  if (turn.answer) print(formatAnswerText(turn.answer, assistant.prompts, { quotes: "cited" }));
}
