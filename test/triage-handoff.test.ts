import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createTriage } from "../src/triage/engine.ts";
import { CASE_ID_SECRET_FILE, buildHandoffAlert, caseIdFor, caseIdSecret, renderHandoffAlert } from "../src/triage/handoff.ts";

const triage = createTriage();
const SECRET = "a-test-secret-of-32-characters!!";
const USER_ID = "987654321";
const MESSAGE = "Меня заперли на складе, хозяин забрал паспорт";

describe("handoff alert", () => {
  const result = triage.assess(MESSAGE);

  it("without consent there is no alert", () => {
    expect(buildHandoffAlert({ platform: "telegram", userId: USER_ID, result, consent: { handoff: false, shareMessage: true }, secret: SECRET, message: MESSAGE })).toBeNull();
  });

  it("carries level, indicators, language and a pseudonymous case id, never the raw user id", () => {
    const alert = buildHandoffAlert({ platform: "telegram", userId: USER_ID, result, consent: { handoff: true, shareMessage: false }, secret: SECRET, message: MESSAGE })!;
    expect(alert.level).toBe("emergency");
    expect(alert.indicators).toEqual(expect.arrayContaining(["restriction_of_movement", "retention_of_documents"]));
    expect(alert.language).toBe("ru");
    expect(alert.caseId).toMatch(/^case-[0-9a-f]{16}$/);
    const json = JSON.stringify(alert);
    const text = renderHandoffAlert(alert);
    for (const out of [json, text]) {
      expect(out).not.toContain(USER_ID);
      expect(out).not.toContain("заперли");
    }
    expect(alert.message).toBeUndefined();
    expect(text).toMatch(/URGENT/);
    expect(text).toMatch(/restriction of movement/);
    expect(text).toMatch(/not shared/);
  });

  it("includes the message only when the person agreed", () => {
    const alert = buildHandoffAlert({ platform: "slack", userId: "U123ABC", result, consent: { handoff: true, shareMessage: true }, secret: SECRET, message: MESSAGE })!;
    expect(alert.message).toBe(MESSAGE);
    expect(renderHandoffAlert(alert)).toContain(MESSAGE);
    expect(JSON.stringify(alert)).not.toContain("U123ABC");
  });

  it("case ids are stable per person and differ across people, platforms and secrets", () => {
    const a = caseIdFor("telegram", USER_ID, SECRET);
    expect(caseIdFor("telegram", USER_ID, SECRET)).toBe(a);
    expect(caseIdFor("telegram", "123", SECRET)).not.toBe(a);
    expect(caseIdFor("slack", USER_ID, SECRET)).not.toBe(a);
    expect(caseIdFor("telegram", USER_ID, `${SECRET}x`)).not.toBe(a);
    expect(() => caseIdFor("telegram", USER_ID, "short")).toThrow(/16/);
  });

  it("without CASE_ID_SECRET a random secret is generated once and kept in the data dir", () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), "handoff-")), "data");
    const s1 = caseIdSecret(dataDir);
    const s2 = caseIdSecret(dataDir);
    expect(s1).toBe(s2);
    expect(s1).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(join(dataDir, CASE_ID_SECRET_FILE), "utf8").trim()).toBe(s1);
    if (process.platform !== "win32") expect(statSync(join(dataDir, CASE_ID_SECRET_FILE)).mode & 0o077).toBe(0);
    expect(caseIdSecret(dataDir, "configured-secret-123456")).toBe("configured-secret-123456");
    expect(caseIdSecret(join(mkdtempSync(join(tmpdir(), "handoff-")), "d"))).not.toBe(s1);
  });
});
