import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LANGUAGES, localeOf } from "../src/language/languages.ts";
import { Prompts } from "../src/prompts.ts";
import { DEFAULT_CONTACTS_FILE, formatContactLine, isUsablePhone, loadContacts, parseContacts } from "../src/triage/contacts.ts";
import { createTriage } from "../src/triage/engine.ts";
import { TRIAGE_PROMPT_KEYS } from "../src/triage/reply.ts";
import { projectPath } from "../src/paths.ts";

const dir = loadContacts();
// The cable is one of the indexed documents (knowledge/sources/, the same text as ../shared/sources/).
const sourcesDir = projectPath("knowledge", "sources");

describe("contacts directory", () => {
  it("holds exactly the verified facts: 116 16, 112, 102, 103, 111", () => {
    const phones = dir.contacts.filter((c) => c.phone).map((c) => c.phone).sort();
    expect(phones).toEqual(["102", "103", "111", "112", "116 16"]);
    const hotline = dir.contacts.find((c) => c.phone === "116 16")!;
    expect(hotline.verify).toBe(true);
    expect(hotline.note).toMatch(/verify before deployment/);
    const line111 = dir.contacts.find((c) => c.phone === "111")!;
    expect(line111.purpose).toMatch(/free/i);
    expect(line111.purpose).toMatch(/24\/7/);
    expect(line111.purpose).toMatch(/anonymous/i);
    expect(line111.purpose).toMatch(/October 2023/);
    for (const c of dir.contacts) {
      expect(c.source.length, c.id).toBeGreaterThan(3);
      expect(c.checked.length, c.id).toBeGreaterThan(3);
    }
  });

  it("ships the NGOs named in the sources without numbers", () => {
    for (const name of ["Sana Sezim", "Rodnik", "IOM"]) {
      const c = dir.contacts.find((x) => x.name.includes(name));
      expect(c, name).toBeDefined();
      expect(c!.phone).toBeUndefined();
    }
  });

  it("never offers a phone number found in the source texts (e.g. the cable's ¶72)", () => {
    const cable = readFileSync(join(sourcesDir, "astana-cable-2007.txt"), "utf8");
    const sourceNumbers = (cable.match(/\+7[-\d ]{8,}\d/g) ?? []).map((n) => n.replace(/\D/g, ""));
    expect(sourceNumbers.length).toBeGreaterThan(0);
    const raw = readFileSync(DEFAULT_CONTACTS_FILE, "utf8").replace(/\D/g, "");
    for (const n of sourceNumbers) expect(raw).not.toContain(n);
    for (const c of dir.contacts) expect(c.phone ?? "").not.toMatch(/3172|777/);
  });

  it("never prints an empty or placeholder contact, in any language and level", () => {
    for (const lang of LANGUAGES) {
      for (const level of ["emergency", "trafficking", "at_risk"] as const) {
        for (const c of dir.byLevel[level]) {
          const line = formatContactLine(c, localeOf(lang));
          expect(line).toMatch(/^• \S/);
          expect(line).not.toMatch(/undefined|null|TBD|TODO|xxx|\?\?|—\s*$|:\s*$/i);
        }
      }
    }
  });

  it("rejects placeholder or empty phone numbers and unknown level entries", () => {
    const base = readFileSync(DEFAULT_CONTACTS_FILE, "utf8");
    expect(() => parseContacts(base.replace('phone: "102"', 'phone: "TBD"'), "c.yaml")).toThrow(/c\.yaml.*phone/);
    expect(() => parseContacts(base.replace('phone: "102"', 'phone: ""'), "c.yaml")).toThrow(/phone/);
    expect(() => parseContacts(base.replace('phone: "102"', 'phone: "000-000"'), "c.yaml")).toThrow(/phone/);
    expect(() => parseContacts(base.replace("at_risk: [trafficking_hotline_116_16", "at_risk: [nobody"), "c.yaml")).toThrow(/unknown contact "nobody"/);
    expect(isUsablePhone("116 16")).toBe(true);
    expect(isUsablePhone("+7 727 000 00 00")).toBe(true);
    expect(isUsablePhone("n/a")).toBe(false);
  });

  it("can be replaced by another file (CONTACTS_FILE)", () => {
    const d = mkdtempSync(join(tmpdir(), "contacts-"));
    const file = join(d, "org-contacts.yaml");
    writeFileSync(
      file,
      readFileSync(DEFAULT_CONTACTS_FILE, "utf8").replace('phone: "116 16"', 'phone: "+7 700 111 22 33"'),
    );
    const t = createTriage({ contactsFile: file });
    const r = t.assess("my boss took my passport");
    expect(r.contacts[0]!.phone).toBe("+7 700 111 22 33");
    expect(r.reply).toContain("call +7 700 111 22 33");
    expect(r.reply).not.toContain("116 16");
  });

  it("emergency shows 112 and 102 first; none shows no contacts", () => {
    expect(dir.byLevel.emergency.slice(0, 2).map((c) => c.phone)).toEqual(["112", "102"]);
    expect(dir.byLevel.trafficking[0]!.phone).toBe("116 16");
    expect(dir.byLevel.at_risk[0]!.phone).toBe("116 16");
    expect(createTriage().assess("hello").contacts).toEqual([]);
  });
});

describe("triage prompts", () => {
  const p = new Prompts();

  it("every triage key exists in all six languages (no English fallback)", () => {
    for (const lang of LANGUAGES) {
      const own = new Set(p.ownKeys(lang));
      for (const key of TRIAGE_PROMPT_KEYS) expect(own.has(key), `${lang} ${key}`).toBe(true);
    }
    const enKeys = p.keys().filter((k) => k.startsWith("triage."));
    expect(new Set(enKeys)).toEqual(new Set(TRIAGE_PROMPT_KEYS));
  });

  it("each file says which translations need review", () => {
    for (const lang of LANGUAGES) {
      const text = readFileSync(projectPath("prompts", lang, "triage.yaml"), "utf8");
      expect(text, lang).toMatch(/^_review: "/m);
      if (lang !== "en") expect(text, lang).toMatch(/review/i);
    }
  });

  it("the next step names the number and the texts do not ask for names or addresses", () => {
    for (const lang of LANGUAGES) {
      for (const level of ["emergency", "trafficking", "at_risk"]) {
        expect(p.t(localeOf(lang), `triage.${level}.next_step`, { phone: "116 16" })).toContain("116 16");
      }
      expect(p.t(localeOf(lang), "triage.common.forget")).toContain("/forget");
    }
    expect(p.t(localeOf("uz", "cyrillic"), "triage.common.forget")).toContain("/forget");
  });
});
