/**
 * What a follow-up in a crisis is about, by fixed patterns in the six languages (Russian,
 * Uzbek and the others also typed in Latin letters): they cannot call, they ask whether calling
 * is safe, they say where they are or how many people are with them. The intent model's reading
 * (a cry for help, a greeting, thanks, yes / no) covers the rest; see `conversation.ts`.
 *
 * The patterns only choose which short safety text to send; they never decide a level.
 */
import { matchKey } from "../language/transliterate.ts";

export type FollowUpTopic =
  | "cannot_call"
  | "safe_to_call"
  | "location"
  | "people"
  | "cry"
  | "detail"
  | "greeting"
  | "thanks"
  | "off_topic"
  | "yes"
  | "no";

/** Patterns on the lower-cased text and on its Latin-folded form (`matchKey`). */
const PATTERNS: Array<[FollowUpTopic, RegExp[]]> = [
  [
    "cannot_call",
    [
      /\b(can ?not|can'?t|cannot|unable to|not able to) (call|phone|talk|speak)\b|\bonly (text|write|message|type)\b|\bno (phone )?credit\b/,
      /не (могу|можем|получается) (звонить|позвонить|говорить)|только (писать|пишу|написать|смс|сообщени)|нельзя (звонить|говорить)/,
      /қоңырау (шала|соға) алмаймын|тек жаза аламын|сөйлей алмаймын/,
      /qo'?ng'?iroq qila olmayman|faqat yoza olaman|gapira olmayman|қўнғироқ қила олмайман|фақат ёза оламан/,
      /чала албайм|телефон чала албайм|жаза гана алам|сүйлөй албайм/,
      /занг зада наметавонам|танҳо навишта метавонам|гап зада наметавонам/,
      /ne mogu (zvonit|pozvonit|govorit)|tolko pisat/,
    ],
  ],
  [
    "safe_to_call",
    [
      /\b(is it |it is )?safe to (call|phone|talk)\b|\bwill (they|he|she|the boss) (know|find out|hear)\b|\bsomeone (is )?listening\b/,
      /безопасно (ли )?(звонить|позвонить|говорить)|(узнают|услышат|узнает|услышит),? (если|что) (я )?(позвоню|звоню)|меня услышат/,
      /қоңырау шалу қауіпсіз бе|естіп қояды/,
      /qo'?ng'?iroq qilish xavfsizmi|eshitib qoladi|қўнғироқ қилиш хавфсизми/,
      /чалуу коопсузбу|угуп калат/,
      /занг задан бехатар аст|мешунаванд/,
      /bezopasno (li )?(zvonit|pozvonit)/,
    ],
  ],
  [
    "people",
    [
      /\b(we are|there are|there is|we're) (\d+|two|three|four|five|six|seven|eight|nine|ten|many)\b|\b\d+ (of us|people|persons|men|women|workers|children)\b/,
      /(нас|нас тут|нас здесь) (\d+|двое|трое|четверо|пятеро|много|несколько|человек)|\b\d+ (человек|людей|рабочих|женщин|мужчин|детей)\b/,
      /\b\d+ (адам|кісі|жұмысшы)|біз \d+/,
      /\b\d+ (kishi|odam|ishchi)|biz \d+|\b\d+ (киши|одам|ишчи)/,
      /\b\d+ (адам|киши|жумушчу)|биз \d+/,
      /\b\d+ (нафар|кас|одам|коргар)|мо \d+/,
      /nas (tut |zdes )?\d+|\d+ chelovek/,
    ],
  ],
  [
    "location",
    [
      /\b(i am|i'm|we are|we're|im) (in|at|near|on) [a-z]|\b(in|at) (almaty|astana|shymkent|karaganda|aktau|atyrau|taraz|pavlodar|turkestan|kostanay|oral|aktobe)\b/,
      /(^|[\s,.])(я|мы) (в|во|на|под|около|возле) [а-яёa-z]|(алматы|астан|шымкент|караганд|актау|атырау|тараз|павлодар|туркестан|костанай|уральск|актобе|алатау)/,
      /(алматы|астана|шымкент|қарағанды|ақтау|атырау|тараз)(да|дамын|дамыз|та|тамын)/,
      /(almati|almaty|astana|shimkent|shymkent|qarag'?andi|aqtau|atirau|taraz)da(man|miz)?\b|(алмати|астана|шимкент)да/,
      /(алматы|астана|шымкент|бишкек)(да|дамын|дабыз|та)/,
      /(дар|ман дар|мо дар) (алмаато|алматы|астана|шимкент|шымкент)/,
      /\b(ya|my) (v|na) [a-z]{3,}/,
    ],
  ],
  [
    "cry",
    [
      /^\W*(help|help me|please help|sos|i am scared|i'm scared|im scared|i am afraid|scared)\W*$/,
      /^\W*(помогите|помоги|помогите пожалуйста|спасите|мне страшно|страшно|боюсь|я боюсь|sos)\W*$/,
      /^\W*(көмектесіңіз|көмектесіңдер|көмек|қорқамын|маған қорқынышты)\W*$/,
      /^\W*(yordam|yordam bering|qo'?rqyapman|qo'?rqaman|ёрдам беринг|қўрқяпман)\W*$/,
      /^\W*(жардам|жардам бергиле|жардам бериңиз|коркуп жатам|корком)\W*$/,
      /^\W*(кӯмак|кумак|кӯмак кунед|мададам кунед|метарсам|ман метарсам)\W*$/,
      /^\W*(pomogite|pomogi|mne strashno|strashno)\W*$/,
    ],
  ],
];

/** The fixed-pattern topic of a follow-up, if one matches. */
export function topicByPattern(text: string): FollowUpTopic | undefined {
  const lower = text.toLowerCase().replace(/[’ʼ`]/g, "'").trim();
  const folded = matchKey(lower);
  for (const [topic, patterns] of PATTERNS) {
    if (patterns.some((p) => p.test(lower) || p.test(folded))) return topic;
  }
  return undefined;
}
