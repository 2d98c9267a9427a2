/**
 * Recognises statistics and fact-about-the-reports questions ("how many victims were identified
 * in 2020?", "what did the 2007 cable say about shelters?", "сколько звонков в 2020"). Those are
 * answered by the passage search with exact figures; a guidance card must not take them.
 *
 * Signals are word lists per language, compared after folding Cyrillic to Latin (`matchKey`),
 * so "сколько" and "skolko" are the same word. A first-person question ("how much do I owe",
 * "сколько я должен") is a person's own situation, not a statistics question, unless it also
 * names a year or a report.
 */
import { matchKey } from "../language/transliterate.ts";

/** Words written in any script; folded once at start-up. A trailing `*` means "starts with". */
function lexicon(...lists: string[]): Array<string> {
  return [...new Set(lists.flatMap((l) => l.split(/\s*,\s*/)).filter(Boolean).map((w) => matchKey(w.trim())))];
}

// "How many / how much / number / percent".
const QUANTITY = lexicon(
  "how many, how much, number of, percent*, percentage, statistic*, figures, total, amount of",
  "сколько, количеств*, числ*, процент*, статистик*, цифр*, skolko, kolichestv*",
  "қанша, саны, санын, пайыз*, статистика*",
  "necha, nechta, nechanchi, qancha, soni, sonini, foiz*, statistika*",
  "канча, канчасы, саны, пайыз*, статистика*",
  "чанд, чандто, чӣ қадар, шумора*, омор*, фоиз*, миқдор*",
);

// Naming a source document or asking what it says.
const REPORT = lexicon(
  "the report, this report, tip report, reports say, report say, cable, osce, borgen, iom, state department, briefing, according to, article about",
  "доклад*, отчет*, отчёт*, телеграмм*, обсе, мом, госдеп*, по данным, согласно, брифинг*, статья, статье",
  "баяндама*, есеп*, есебі*",
  "hisobot*, ma'ruza*",
  "баяндама*, отчет*",
  "гузориш*, ҳисобот*",
);

// Law texts, prison terms, organisations' officials: facts the passages hold.
const LEGAL_OR_OFFICIAL = lexicon(
  "penal code, criminal code, article, maximum, prison sentence, prison term, years in prison, convicted, prosecuted, tier, who leads, who founded, founder, director, director of, budget, funding, grants, tenge, dollars, ministry, 4p, punishment*, penalt*",
  "кодекс*, статья, стать*, максимальн*, приговор*, осужден*, осуждён*, срок заключения, лишени* свободы, кто руководит, руководит, основал*, основатель, директор*, бюджет*, финансир*, грант*, тенге, долларов, министерств*, наказани*",
  "кодекс*, бап*, сотталған*, бюджет*, қаржы*, теңге, министрлі*, жазасы, жаза",
  "kodeks*, modda*, sudlangan*, byudjet*, moliya*, tanga, vazirlik*, jazo*",
  "кодекс*, берене*, соттолгон*, бюджет*, каржы*, министрлик*, жазасы, жаза",
  "кодекс*, модда*, маҳкумшуда*, буҷет*, маблағ*, вазорат*, ҷазо*",
);

// Statistics nouns: victims identified, cases, calls...
const STAT_NOUNS = lexicon(
  "victims, cases, calls, identified, investigated, convictions, traffickers, migrants, people, shelters, ngos, government, police officers, year",
  "жертв*, случа*, дел, звонк*, выявлен*, расследован*, торговц*, мигрант*, приют*, нко, правительств*, году, год",
  "құрбан*, іс, істер*, қоңырау*, анықталған*, баспана*, үкімет*, жылы",
  "qurbon*, qo'ng'iroq*, aniqlangan*, boshpana*, hukumat*, yilda, yili",
  "курмандык*, чалуу*, аныкталган*, баш калкалоо*, өкмөт*, жылы",
  "қурбони*, парванда*, занг*, ошкоршуда*, паноҳгоҳ*, ҳукумат*, соли, солҳои",
);

// First-person markers: the person's own situation.
const FIRST_PERSON = lexicon(
  "i, i'm, me, my, mine, we, our, us",
  "я, меня, мне, мой, моя, мои, моё, мое, нас, нам, наш, наша, мы, ya, menya, mne, moy, moi",
  "мен, менің, маған, мені, біз, бізге, бізді",
  "men, mening, menga, meni, biz, bizga, bizni",
  "мен, менин, мага, мени, биз, бизге, бизди",
  "ман, маро, ба ман, мо, моро, манро",
);

const YEAR = /\b(19[89]\d|20[0-3]\d)\b/;

function hits(tokens: string[], joined: string, words: string[]): number {
  let n = 0;
  for (const w of words) {
    if (w.includes(" ")) {
      if (joined.includes(` ${w.replace(/\*$/, "")}`)) n++;
    } else if (w.endsWith("*")) {
      const stem = w.slice(0, -1);
      if (tokens.some((t) => t.startsWith(stem))) n++;
    } else if (tokens.includes(w)) n++;
  }
  return n;
}

export interface FactualSignals {
  quantity: number;
  report: number;
  legal: number;
  stat: number;
  firstPerson: number;
  year: boolean;
}

export function factualSignals(text: string): FactualSignals {
  const folded = matchKey(text.slice(0, 2000));
  const tokens = folded.match(/[\p{L}\p{N}]+/gu) ?? [];
  const joined = ` ${tokens.join(" ")} `;
  return {
    quantity: hits(tokens, joined, QUANTITY),
    report: hits(tokens, joined, REPORT),
    legal: hits(tokens, joined, LEGAL_OR_OFFICIAL),
    stat: hits(tokens, joined, STAT_NOUNS),
    firstPerson: hits(tokens, joined, FIRST_PERSON),
    year: YEAR.test(folded),
  };
}

/**
 * True for a statistics or fact-about-the-sources question, which the passage search answers.
 */
export function isFactualQuestion(text: string): boolean {
  const s = factualSignals(text);
  const personal = s.firstPerson > 0;
  if (s.report > 0 && (s.year || s.quantity > 0 || !personal)) return true;
  if (s.quantity > 0 && (s.year || !personal)) return true;
  if (s.year && !personal && (s.stat > 0 || s.legal > 0)) return true;
  if (s.legal > 0 && !personal && (s.stat > 0 || s.legal > 1)) return true;
  return false;
}
