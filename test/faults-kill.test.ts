/**
 * kill -9 mid-load: bot instances are child processes (`npm start`'s wiring, polling mode)
 * against the fake Bot API with 5% injected send faults; one is killed with SIGKILL while
 * updates are in flight and a new one takes over. Every update must be answered; duplicates
 * can only be sends that were on the wire at the moment of the kill: one chat's updates are
 * handled one at a time, so at most one update's sends (two messages: an answer and a
 * check-in question) per person.
 * A duplicate is one reply (an update's n-th send, traced by the bench) delivered again.
 * The full-size run (1,000 updates, two kills) is `npx tsx bench/delivery.ts`.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { runDeliveryBench } from "../bench/delivery.ts";

const url = process.env.REDIS_TEST_URL;
const hasTsx = spawnSync(process.execPath, ["--import", "tsx", "-e", "0"]).status === 0;

describe.skipIf(!hasTsx)("kill -9 mid-load", () => {
  it.skipIf(!url)("with Redis: every update answered after a kill -9, duplicates at most one update's sends per person (those on the wire at the kill)", async () => {
    const report = await runDeliveryBench({ updates: 150, kills: 1, faultRate: 0.05, redisUrl: url!, ratePerSecond: 150 });
    expect(report.answered).toBe(report.updates);
    // 5 updates per person; an update sends at most two messages (an answer and a check-in
    // question), all of which may be on the wire at the kill.
    expect(report.duplicates).toBeLessThanOrEqual((report.updates / 5) * 2);
  }, 60_000);

  it("with the memory store: every update answered after a kill -9, duplicates at most one update's sends per person (the journal in DATA_DIR keeps the done marks)", async () => {
    const report = await runDeliveryBench({ updates: 100, kills: 1, faultRate: 0.05, ratePerSecond: 150 });
    expect(report.answered).toBe(report.updates);
    expect(report.untagged).toBe(0);
    expect(report.duplicates).toBeLessThanOrEqual((report.updates / 5) * 2);
  }, 60_000);
});
