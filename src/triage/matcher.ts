/**
 * Runs the compiled rules over one message and decides the level.
 *
 * For every sentence, a rule matches when all groups of one of its patterns are found there.
 * A match is then judged in context (all word lists live in the rules file):
 *
 * - negated ("they did not take my passport", "паспортымды алған жоқ"): the phrase does not count;
 * - about the topic (a question about the reports, statistics or definitions, with no "I/my/we"
 *   or family word in the sentence): dropped, the person gets a normal answer;
 * - about trafficking in general (the clause speaks of "victims", "traffickers"... and not of
 *   me/us): dropped, so quoting the report does not raise an alarm;
 * - a question with no "I/my/we" in it, or a conditional question ("what if my employer takes
 *   my passport?"): a trafficking rule only raises `at_risk` (safe-migration advice and the
 *   hotline). Emergency rules are never lowered by this: threats are often conditional.
 *
 * When two or more different ILO indicators matched but the highest level is `at_risk`, the
 * level is raised to `trafficking` (the ILO guidance reads indicators in combination).
 */
import { tokenize, type Tokenized } from "./normalize.ts";
import { type Group, type Occurrence, findPhrase } from "./patterns.ts";
import { type CompiledRule, type CompiledRules, MARKERS } from "./rules.ts";
import { type Level, levelRank } from "./types.ts";

export interface RuleMatch {
  rule: CompiledRule;
  /** The level this match raises after context (may be lower than the rule's level). */
  level: Exclude<Level, "none"> | "none";
  sentence: number;
  /** Why the level was lowered or the match dropped, for audit and `hotline triage`. */
  note?: "about_topic" | "generic" | "question" | "conditional" | "joke" | "media" | "reassured";
}

export interface Analysis {
  level: Level;
  indicators: string[];
  rules: string[];
  matches: RuleMatch[];
  escalated: boolean;
  /**
   * The message laughs (a joke marker) or retells the news, a film or a book somewhere: not the
   * person's own situation told in earnest. The rules already judge each sentence by it; the
   * learned second net uses it to hold back a check-in the rules did not ask for.
   */
  framing: Array<"joke" | "media">;
  /** Indicators whose words were found but cancelled by an `except` phrase ("he gave my passport back"), and that no rule raised. */
  cleared: string[];
}

interface Doc {
  t: Tokenized;
  atoms: Array<Set<number>>;
  present: Set<number>;
  /** Token positions of each atom, ascending. */
  positions: Map<number, number[]>;
  /** Candidate start positions of a phrase whose first word is `atoms`, within [from, to). */
  starts: (atoms: number[], from: number, to: number) => number[];
}

function has(doc: Doc) {
  return (pos: number, atoms: number[]) => {
    const set = doc.atoms[pos]!;
    for (const a of atoms) if (set.has(a)) return true;
    return false;
  };
}

/**
 * `lang` is the message's language (detected from the text): the lists that cancel a match are
 * read in that language (and Russian) only; without it, in every language.
 */
export function analyze(rules: CompiledRules, text: string, lang?: string): Analysis {
  const t = tokenize(text);
  const atoms = t.tokens.map((tok) => new Set(rules.table.match(tok.key)));
  const present = new Set<number>();
  const positions = new Map<number, number[]>();
  atoms.forEach((set, pos) => {
    for (const a of set) {
      present.add(a);
      const list = positions.get(a);
      if (list) list.push(pos);
      else positions.set(a, [pos]);
    }
  });
  const starts = (first: number[], from: number, to: number): number[] => {
    const out: number[] = [];
    for (const a of first) for (const p of positions.get(a) ?? []) if (p >= from && p < to) out.push(p);
    if (first.length > 1) {
      out.sort((x, y) => x - y);
      return out.filter((p, i) => i === 0 || out[i - 1] !== p);
    }
    return out;
  };
  const doc: Doc = { t, atoms, present, positions, starts };
  const hasAt = has(doc);

  const matches: RuleMatch[] = [];
  const cancel = (lang && rules.context.cancelByLang.get(lang)) || rules.context;
  const sentenceInfo = t.sentences.map((s) => sentenceContext(rules, doc, hasAt, s.start, s.end, s.question, cancel));

  const cleared = new Set<string>();
  // Anywhere in the message, not negated: "…12-hour shifts, fines for being late. But he pays
  // on time and my passport is with me."
  const reassured = hasGroup(doc, hasAt, rules.context.reassurance, 0, t.tokens.length, rules);
  for (const rule of rules.rules) {
    if (rule.maxWords !== undefined && t.tokens.length > rule.maxWords) continue;
    let best: RuleMatch | undefined;
    // A normal holder (a consulate, a bank) cancels like `except`, unless an employer or a
    // recruiter is named anywhere in the message: read once, and only when a span of the rule
    // is judged (most rules never get that far).
    let unlessNamed: boolean | undefined;
    const contextCancels = () => !!rule.exceptContext && !(unlessNamed ??= hasGroup(doc, hasAt, rule.exceptUnless!, 0, t.tokens.length));
    for (const pattern of rule.patterns) {
      if (!canMatch(pattern.groups[0]!, present)) continue;
      if (!pattern.groups.every((g) => canMatch(g, present))) continue;
      // A message-scope rule reads the whole message as one span, judged in the context of
      // the sentence where its last group was found (the one that completes the pattern).
      const spans = rule.messageScope && t.tokens.length > 0 ? [{ start: 0, end: t.tokens.length }] : t.sentences;
      // The words of the pattern are there but an `except` phrase cancels them ("he took a copy
      // and gave it back"): the rules read the topic and cleared it. (Negation does not clear:
      // "I never got my salary" negates a phrase and is still a disclosure.)
      const wordsThere = (s: { start: number; end: number }) => pattern.groups.every((g) => findGroup(rules, doc, hasAt, g, s.start, s.end, true));
      spans.forEach((s, si) => {
        if (
          (rule.except && hasGroup(doc, hasAt, rule.except, s.start, s.end, rules)) ||
          (contextCancels() &&
            hasGroup(doc, hasAt, rule.exceptContext!, rule.exceptContextMessage ? 0 : s.start, rule.exceptContextMessage ? t.tokens.length : s.end, rules))
        ) {
          if (wordsThere(s)) cleared.add(rule.indicator);
          return;
        }
        const occ: Occurrence[] = [];
        let conditional = false;
        for (const g of pattern.groups) {
          const found = findGroup(rules, doc, hasAt, g, s.start, s.end);
          if (!found) return;
          occ.push(found.occ);
          conditional ||= found.conditional;
        }
        const sentence = rule.messageScope ? sentenceAt(t, Math.max(...occ.map((o) => o.start))) : si;
        const m = judge(rules, doc, rule, sentence, occ, conditional, sentenceInfo[sentence]!, reassured);
        if (!best || levelRank(m.level) > levelRank(best.level)) best = m;
      });
    }
    if (best) matches.push(best);
  }

  let level: Level = "none";
  const indicators: string[] = [];
  const ruleIds: string[] = [];
  for (const m of matches) {
    if (m.level === "none") continue;
    if (levelRank(m.level) > levelRank(level)) level = m.level;
    if (!indicators.includes(m.rule.indicator)) indicators.push(m.rule.indicator);
    ruleIds.push(m.rule.id);
  }
  let escalated = false;
  const ilo = indicators.filter((i) => !MARKERS.has(i));
  if (rules.escalateOn > 0 && level === "at_risk" && ilo.length >= rules.escalateOn) {
    // Only count matches that were not lowered by context.
    const full = new Set(matches.filter((m) => !m.note && m.level !== "none" && !MARKERS.has(m.rule.indicator)).map((m) => m.rule.indicator));
    if (full.size >= rules.escalateOn) {
      level = "trafficking";
      escalated = true;
    }
  }
  const framing: Analysis["framing"] = [];
  if (sentenceInfo.some((c) => c.joking)) framing.push("joke");
  if (sentenceInfo.some((c) => c.media)) framing.push("media");
  for (const i of indicators) cleared.delete(i);
  return { level, indicators, rules: ruleIds, matches, escalated, framing, cleared: [...cleared] };
}

/** The index of the sentence holding token `pos`. */
function sentenceAt(t: Tokenized, pos: number): number {
  const i = t.sentences.findIndex((s) => pos >= s.start && pos < s.end);
  return i < 0 ? 0 : i;
}

/** Whether `g` occurs in [from, to); with `rules`, a negated occurrence ("did not give it back") does not count. */
function hasGroup(doc: Doc, hasAt: ReturnType<typeof has>, g: Group, from: number, to: number, rules?: CompiledRules): boolean {
  if (!canMatch(g, doc.present)) return false;
  return g.phrases.some((p) => findPhrase(p, from, to, hasAt, doc.starts).some((o) => !rules || !isNegated(rules, doc, o)));
}

function canMatch(g: Group, present: Set<number>): boolean {
  if (g.firstAtoms.size < present.size) {
    for (const a of g.firstAtoms) if (present.has(a)) return true;
    return false;
  }
  for (const a of present) if (g.firstAtoms.has(a)) return true;
  return false;
}

/** The first occurrence of `group` in [from, to) that is not negated; a non-conditional one if there is one. */
function findGroup(rules: CompiledRules, doc: Doc, hasAt: ReturnType<typeof has>, group: Group, from: number, to: number, ignoreNegation = false) {
  let fallback: { occ: Occurrence; conditional: boolean } | undefined;
  for (const phrase of group.phrases) {
    const first = phrase.words[0]!;
    if (first.gap || !first.atoms.some((a) => doc.present.has(a))) continue;
    for (const occ of findPhrase(phrase, from, to, hasAt, doc.starts)) {
      if (!ignoreNegation && !phrase.negated && isNegated(rules, doc, occ)) continue;
      const conditional = isConditional(rules, doc, hasAt, occ, from);
      if (!conditional) return { occ, conditional };
      fallback ??= { occ, conditional };
    }
  }
  return fallback;
}

function isNegated(rules: CompiledRules, doc: Doc, occ: Occurrence): boolean {
  const tokens = doc.t.tokens;
  const clause = tokens[occ.start]!.clause;
  // A negation word right before the phrase, or further back (up to the window) over short
  // words only: "did not take", "не мой паспорт" count; "не отдаёт паспорт" does not negate "паспорт".
  for (let p = occ.start - 1; p >= 0 && p >= occ.start - rules.negationWindow; p--) {
    const tok = tokens[p]!;
    if (tok.clause !== clause) break;
    if (rules.negators.has(tok.key)) return true;
    if (tok.key.length > 4) break;
  }
  const after = tokens[occ.end];
  const last = tokens[occ.end - 1]!;
  if (after && after.clause === last.clause && rules.postNegators.has(after.key)) {
    if (!rules.negationAfterRequires || rules.negationAfterRequires.test(last.key)) return true;
  }
  return false;
}

function isConditional(rules: CompiledRules, doc: Doc, hasAt: ReturnType<typeof has>, occ: Occurrence, from: number): boolean {
  const tokens = doc.t.tokens;
  const clause = tokens[occ.start]!.clause;
  let clauseStart = occ.start;
  while (clauseStart > from && tokens[clauseStart - 1]!.clause === clause) clauseStart--;
  if (!canMatch(rules.context.hypothetical, doc.present)) return false;
  for (const phrase of rules.context.hypothetical.phrases) {
    for (const h of findPhrase(phrase, clauseStart, occ.start + 1, hasAt, doc.starts)) if (h.start <= occ.start) return true;
  }
  return false;
}

interface SentenceContext {
  personal: boolean;
  /** A laughter or joke marker in the sentence. */
  joking: boolean;
  /** A film, a book or the news is being retold in the sentence. */
  media: boolean;
  aboutTopic: boolean;
  question: boolean;
  /** A question ending in an "if" clause ("…, if I go to the police?"). */
  conditionalQuestion: boolean;
  /** The clauses that ask (start with a question word, or end the sentence with "?"). */
  questionClauses: Set<number>;
  /** Clauses that speak of trafficking in general ("victims", "traffickers"). */
  genericClauses: Set<number>;
  /** Clauses with "I/my/we" or a family word. */
  personalClauses: Set<number>;
}

function sentenceContext(
  rules: CompiledRules,
  doc: Doc,
  hasAt: ReturnType<typeof has>,
  start: number,
  end: number,
  endsWithQuestionMark: boolean,
  cancel: { aboutTopic: Group; generic: Group },
): SentenceContext {
  const ctx = rules.context;
  const occurrences = (g: Group): Occurrence[] => {
    if (!canMatch(g, doc.present)) return [];
    return g.phrases.flatMap((p) => findPhrase(p, start, end, hasAt, doc.starts));
  };
  const clauseOf = (o: Occurrence) => doc.t.tokens[o.start]!.clause;
  const personal = occurrences(ctx.personal);
  const tokens = doc.t.tokens;
  // A question belongs to a clause: the first one when the sentence starts with a question
  // word, the last one when it ends in "?". "The boss took my passport, what should I do?" asks
  // in its second clause; the first is a statement, and a stated disclosure is not lowered.
  const questionClauses = new Set<number>();
  if (end > start && occurrences(ctx.questionStart).some((o) => o.start === start)) questionClauses.add(tokens[start]!.clause);
  if (endsWithQuestionMark && end > start) questionClauses.add(tokens[end - 1]!.clause);
  // "Will they deport me, if I go to the police?": a question whose last clause is an "if"
  // clause asks about a possibility, whichever clause holds the matched words.
  const lastClause = end > start ? tokens[end - 1]!.clause : -1;
  const lastClauseStart = end > start ? tokens.findIndex((t, i) => i >= start && t.clause === lastClause) : -1;
  const conditionalQuestion = endsWithQuestionMark && lastClauseStart > start && occurrences(ctx.hypothetical).some((o) => o.start === lastClauseStart);
  return {
    conditionalQuestion,
    personal: personal.length > 0,
    joking: occurrences(ctx.joking).length > 0,
    media: occurrences(ctx.media).length > 0,
    aboutTopic: occurrences(cancel.aboutTopic).length > 0,
    question: questionClauses.size > 0,
    questionClauses,
    genericClauses: new Set(occurrences(cancel.generic).map(clauseOf)),
    personalClauses: new Set(personal.map(clauseOf)),
  };
}

/** Rules that laughter never lowers. */
const NEVER_A_JOKE = new Set(["cry_for_help", "hunted_hiding", "escape_help", "child_held", "sexual_violence"]);

function judge(
  _rules: CompiledRules,
  doc: Doc,
  rule: CompiledRule,
  sentence: number,
  occ: Occurrence[],
  conditional: boolean,
  ctx: SentenceContext,
  reassured = false,
): RuleMatch {
  if (ctx.aboutTopic && !ctx.personal) return { rule, level: "none", sentence, note: "about_topic" };
  const clauses = new Set(occ.map((o) => doc.t.tokens[o.start]!.clause));
  for (const c of clauses) {
    if (ctx.genericClauses.has(c) && !ctx.personalClauses.has(c)) return { rule, level: "none", sentence, note: "generic" };
  }
  // "My husband will kill me, I bought shoes again 🙈", "our foreman calls us his slaves 😂": a
  // threat, a lock-in or "slavery" said laughing is an exaggeration. Cries for help, escapes and
  // children in danger are never read as jokes.
  if (ctx.joking && !NEVER_A_JOKE.has(rule.id)) {
    return { rule, level: "none", sentence, note: "joke" };
  }
  // "I saw in the news that 20 people were freed from slavery", "we read a novel about a girl
  // who was trafficked": a retelling, even with "I" or "we" in it.
  // Cries for help, escapes and children in danger keep their level when the clause that
  // matched speaks of me/us ("I saw your number on TV, I escaped and they are looking for me").
  const ownClause = [...clauses].some((c) => ctx.personalClauses.has(c));
  if (ctx.media && rule.id !== "cry_for_help" && (!NEVER_A_JOKE.has(rule.id) || !ownClause)) return { rule, level: "none", sentence, note: "media" };
  // A hard workplace ("12-hour shifts, fines") told together with "but he pays on time / my
  // passport is with me" is a complaint, not an at-risk sign. Trafficking rules are not lowered.
  if (reassured && rule.level === "at_risk") return { rule, level: "none", sentence, note: "reassured" };
  // A conditional question ("if they took my passport, would the police help?") asks about a
  // possibility. Otherwise only a match inside an asking clause is a question about the topic: a
  // disclosure stated before "what should I do?" stays a disclosure.
  const asked = [...clauses].some((c) => ctx.questionClauses.has(c));
  if (rule.level === "trafficking" && ctx.question && (conditional || ctx.conditionalQuestion)) return { rule, level: "at_risk", sentence, note: "conditional" };
  if (rule.level === "trafficking" && asked && !ctx.personal) return { rule, level: "at_risk", sentence, note: "question" };
  return { rule, level: rule.level, sentence };
}
