// Ids and timestamps of new records: the Permissions API stamps epoch seconds, the Provisioning and Admin APIs
// ISO 8601 times (without milliseconds, as in the specs' examples).
import * as crypto from "node:crypto";

export const nowEpoch = (): number => Math.floor(Date.now() / 1000);
export const nowIso = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
export const randomHex = (bytes: number): string => crypto.randomBytes(bytes).toString("hex");
