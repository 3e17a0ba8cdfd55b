// Root hooks of `npm run test:live` (mocha --require): refuse to start without the live settings, start from an
// account holding nothing with the prefix (what a killed run left), and delete what carries it at the end, also
// after a failure.
import { isLive, liveContext, liveSettings } from "./target";
import { sweep } from "./sweep";

async function sweepAndReport(when: string): Promise<void> {
    const { prefix } = liveSettings();
    const swept = await sweep(liveContext(), prefix);
    console.log(`live tests, ${when}: ${swept.length ? `deleted ${swept.join(", ")}` : `nothing named ${prefix}... in the account`}`);
}

/** The settings were accepted: no test runs otherwise, so there is nothing to delete. */
let started = false;

export const mochaHooks = {
    async beforeAll(): Promise<void> {
        if (!isLive()) throw new Error("tests/e2e/live/hooks.ts is for `npm run test:live` only (CLOUDINARY_PERMISSIONS_TEST_TARGET=live)");
        liveSettings();
        started = true;
        await sweepAndReport("before");
    },
    async afterAll(): Promise<void> {
        if (started) await sweepAndReport("after");
    },
};
