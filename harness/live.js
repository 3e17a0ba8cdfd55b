// The settings of `npm run test:live` (the @live end-to-end tests against a real Cloudinary account), read and
// checked before anything runs. Plain Node.js: scripts/bootstrap.js refuses with it before installing or
// compiling anything, and the tests' root hooks (tests/e2e/live/hooks.ts) check again.
"use strict";

/** Set by `npm run test:live` only: the @live tests then target the account of the environment, not an emulator. */
const TARGET_VARIABLE = "CLOUDINARY_PERMISSIONS_TEST_TARGET";
const LIVE = "live";

// Everything whose name starts with the prefix is deleted at the end: it must be long and specific.
const PREFIX = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*-$/;
const MIN_PREFIX = 8;

/** { prefix, folder: { cloudName, folderId } }, or an Error listing every setting that is missing or wrong, and how to fix it. */
function liveSettings(env) {
    const problems = [];
    const prefix = env.CLOUDINARY_LIVE_PREFIX;
    if (!prefix) {
        problems.push(
            "CLOUDINARY_LIVE_PREFIX is not set. Every object the live tests create is named with it, and every object whose name starts with it is deleted at the end, " +
                "so it must be a prefix nothing else in the account uses, e.g. CLOUDINARY_LIVE_PREFIX=cldperm-live-$(date +%s)-",
        );
    } else if (!PREFIX.test(prefix) || prefix.length < MIN_PREFIX) {
        problems.push(`CLOUDINARY_LIVE_PREFIX '${prefix}' is not a safe prefix: at least ${MIN_PREFIX} characters of lower-case letters, digits and dashes, starting with a letter and ending with '-' (e.g. cldperm-live-1-)`);
    }
    if (!env.CLOUDINARY_ACCOUNT_URL) problems.push("CLOUDINARY_ACCOUNT_URL is not set: account://API_KEY:API_SECRET@ACCOUNT_ID, the account (provisioning) key (Console > Settings > Account API Keys)");
    const folder = /^([a-z0-9_-]+)\/([A-Za-z0-9_-]+)$/.exec(env.CLOUDINARY_LIVE_FOLDER ?? "");
    if (!folder) {
        problems.push(
            `CLOUDINARY_LIVE_FOLDER ${env.CLOUDINARY_LIVE_FOLDER ? `'${env.CLOUDINARY_LIVE_FOLDER}' is not CLOUD_NAME/FOLDER_ID` : "is not set"}: the product environment and the external id of a folder ` +
                "the folder tests may share with a group they create (and revoke), e.g. my-cloud/3f1a...",
        );
    } else if (!`${env.CLOUDINARY_URL ?? ""} ${env.CLOUDINARY_PRODUCT_ENVIRONMENTS ?? ""}`.includes(`@${folder[1]}`)) {
        problems.push(`no Admin API credentials for product environment '${folder[1]}' (of CLOUDINARY_LIVE_FOLDER): set CLOUDINARY_URL=cloudinary://API_KEY:API_SECRET@${folder[1]} or add it to CLOUDINARY_PRODUCT_ENVIRONMENTS`);
    }
    if (problems.length) return new Error(`The live tests refuse to run:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    return { prefix, folder: { cloudName: folder[1], folderId: folder[2] } };
}

module.exports = { liveSettings, TARGET_VARIABLE, LIVE };
