/**
 * The contacts directory (`knowledge/contacts.yaml`, or the file in CONTACTS_FILE).
 *
 * Validated at start-up: an entry without a usable phone is shown by name and purpose only, and
 * a phone that is empty or looks like a placeholder ("TBD", "xxx", "000") stops start-up, so a
 * person in danger is never shown a number that does not work.
 */
import { parseYamlText, readYamlFile, yamlErrorReason } from "../yaml-file.ts";
import { z } from "zod";
import { type Locale } from "../language/languages.ts";
import { uzbekLatinToCyrillic } from "../language/transliterate.ts";
import { projectPath } from "../paths.ts";
import type { Contact, Level } from "./types.ts";

export const DEFAULT_CONTACTS_FILE = projectPath("knowledge", "contacts.yaml");

export class ContactsError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`Contacts file ${file}: ${detail}`);
    this.name = "ContactsError";
  }
}

/** A phone number: digits, spaces, "+", "-", parentheses; at least 3 digits; not a placeholder. */
export function isUsablePhone(phone: string): boolean {
  const p = phone.trim();
  if (!/^\+?[0-9][0-9 ()-]*[0-9]$/.test(p) && !/^[0-9]{3}$/.test(p)) return false;
  const digits = p.replace(/\D/g, "");
  if (digits.length < 3) return false;
  if (/^0+$/.test(digits) || /^(\d)\1{5,}$/.test(digits)) return false;
  return true;
}

const PLACEHOLDER = /^(tbd|tba|todo|n\/?a|none|null|xxx+|\?+|-+|…|\.\.\.|unknown|placeholder)$/i;
const text = z.string().trim().min(1).refine((v) => !PLACEHOLDER.test(v), { message: "is a placeholder" });

const contactSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_]*$/),
    name: text,
    phone: z
      .string()
      .trim()
      .refine(isUsablePhone, { message: "is not a usable phone number (omit `phone` when there is no verified number)" })
      .optional(),
    purpose: text,
    hours: text.nullable().optional(),
    languages: z.array(text).nullable().optional(),
    source: text,
    checked: text,
    verify: z.boolean().default(false),
    note: text.optional(),
    labels: z.record(z.string(), text).optional(),
  })
  .strict();

const fileSchema = z
  .object({
    version: z.literal(1),
    levels: z
      .object({
        emergency: z.array(z.string()).min(1),
        trafficking: z.array(z.string()).min(1),
        at_risk: z.array(z.string()).min(1),
      })
      .strict(),
    contacts: z.array(contactSchema).min(1),
  })
  .strict();

export interface Directory {
  file: string;
  contacts: Contact[];
  byLevel: Record<Exclude<Level, "none">, Contact[]>;
}

export function loadContacts(file: string = DEFAULT_CONTACTS_FILE): Directory {
  let data: unknown;
  try {
    data = readYamlFile(file); // parsed once, then read from the JSON cache
  } catch (err) {
    throw new ContactsError(file, yamlErrorReason(err));
  }
  return contactsFromData(data, file);
}

export function parseContacts(raw: string, file = "<contacts>"): Directory {
  let data: unknown;
  try {
    data = parseYamlText(raw, file);
  } catch (err) {
    throw new ContactsError(file, yamlErrorReason(err));
  }
  return contactsFromData(data, file);
}

function contactsFromData(data: unknown, file: string): Directory {
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) {
    throw new ContactsError(file, parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  }
  const contacts: Contact[] = parsed.data.contacts.map((c) => {
    const out: Contact = { id: c.id, name: c.name, purpose: c.purpose, source: c.source, checked: c.checked, verify: c.verify };
    if (c.phone) out.phone = c.phone;
    if (c.hours) out.hours = c.hours;
    if (c.languages) out.languages = c.languages;
    if (c.note) out.note = c.note;
    if (c.labels) out.labels = c.labels;
    return out;
  });
  const ids = new Map(contacts.map((c) => [c.id, c]));
  if (ids.size !== contacts.length) throw new ContactsError(file, "duplicate contact id");
  const pick = (level: Exclude<Level, "none">): Contact[] =>
    parsed.data.levels[level].map((id) => {
      const c = ids.get(id);
      if (!c) throw new ContactsError(file, `levels.${level} names unknown contact "${id}"`);
      return c;
    });
  const byLevel = { emergency: pick("emergency"), trafficking: pick("trafficking"), at_risk: pick("at_risk") };
  for (const [level, list] of Object.entries(byLevel)) {
    if (!list.some((c) => c.phone)) throw new ContactsError(file, `levels.${level} must include at least one contact with a phone number`);
  }
  return { file, contacts, byLevel };
}

/** The label shown to the person: the localized label, else English, else the name. */
export function contactLabel(contact: Contact, locale: Locale): string {
  const own = contact.labels?.[locale.lang];
  if (own) return locale.lang === "uz" && locale.script === "cyrillic" ? uzbekLatinToCyrillic(own) : own;
  return contact.labels?.en ?? contact.name;
}

/** One line for a reply: "• 112 — Emergency" or, without a number, "• Rodnik, Almaty: ...". */
export function formatContactLine(contact: Contact, locale: Locale): string {
  const label = contactLabel(contact, locale);
  return contact.phone ? `• ${contact.phone} — ${label}` : `• ${label}`;
}
