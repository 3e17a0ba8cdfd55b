// The emulator's fixed starting point: one account, two product environments, five users, a folder tree,
// and Cloudinary's system policies and roles. Every value is deterministic; the README and the examples use
// these exact ids.
import * as fs from "node:fs";
import * as path from "node:path";
import { openapiDir } from "./openapi";
import type { EmulatorState, PermissionType, ScopeType, SystemPolicy, SystemRole } from "./model";

export type { PermissionType, ScopeType, SystemPolicy, SystemRole } from "./model";

export const ACCOUNT_ID = "emulatoracct0001";
export const ACCOUNT_API_KEY = "810000000000001";
export const ACCOUNT_API_SECRET = "emu-account-secret-0001";
export const DEFAULT_PORT = 4100;

export const PROD = {
    id: "pe0prod000000000000000000000001",
    cloudName: "acme-prod",
    name: "Acme Production",
    adminKey: "820000000000001",
    adminSecret: "emu-prod-secret-0001",
    integrationKey: "820000000000002",
    integrationSecret: "emu-prod-secret-0002",
} as const;

export const STAGING = {
    id: "pe0stag000000000000000000000002",
    cloudName: "acme-staging",
    name: "Acme Staging",
    adminKey: "830000000000001",
    adminSecret: "emu-staging-secret-0001",
    integrationKey: "830000000000002",
    integrationSecret: "emu-staging-secret-0002",
} as const;

export const USERS = {
    alice: { id: "u0alice0000000000000000000001", name: "Alice Admin", email: "alice@acme.example", role: "master_admin" },
    bob: { id: "u0bob000000000000000000000002", name: "Bob Designer", email: "bob@acme.example", role: "media_library_user" },
    carol: { id: "u0carol0000000000000000000003", name: "Carol Marketer", email: "carol@acme.example", role: "media_library_user" },
    dave: { id: "u0dave00000000000000000000004", name: "Dave Developer", email: "dave@acme.example", role: "technical_admin" },
    erin: { id: "u0erin00000000000000000000005", name: "Erin Contractor", email: "erin@acme.example", role: "media_library_user" },
} as const;

export const FOLDERS = {
    marketing: { id: "fmarketing0000000000000000000001", path: "marketing", cloudName: PROD.cloudName },
    campaigns: { id: "fcampaigns0000000000000000000002", path: "marketing/campaigns", cloudName: PROD.cloudName },
    winter2026: { id: "fwinter2026000000000000000000003", path: "marketing/campaigns/winter-2026", cloudName: PROD.cloudName },
    creative: { id: "fcreative00000000000000000000004", path: "creative", cloudName: PROD.cloudName },
    brandAssets: { id: "fbrandassets000000000000000000005", path: "creative/brand-assets", cloudName: PROD.cloudName },
    products: { id: "fproducts0000000000000000000006", path: "products", cloudName: PROD.cloudName },
    sandbox: { id: "fsandbox00000000000000000000007", path: "sandbox", cloudName: STAGING.cloudName },
    sandboxTests: { id: "fsandboxtests0000000000000000008", path: "sandbox/tests", cloudName: STAGING.cloudName },
} as const;

export const MASTER_ADMIN_ROLE = "cld::role::account::master_admin";

/** Seeded timestamps: fixed, so that every start is identical. */
export const SEED_EPOCH = 1767225600; // 2026-01-01T00:00:00Z
export const SEED_ISO = "2026-01-01T00:00:00Z";
/** The timestamps of Cloudinary's system roles and policies, as the spec's examples give them. */
export const SYSTEM_EPOCH = 1719475216;

/** Statement shown for policies whose Cedar text Cloudinary has not published (a Cedar comment: an empty policy set). */
export const UNPUBLISHED_STATEMENT = "// policy statement not published by Cloudinary (emulator placeholder)";

/** Descriptions seen in the specs' examples, by id. */
const DESCRIPTIONS: Record<string, string> = {
    "cld::policy::global::ml::access": "Access the Media Library within the Console. Without this permission, users can't view any assets.",
    "cld::policy::content::folder::view_download": "View all assets in the folder and its nested subfolders.",
    "cld::policy::global::assets::moderate":
        "Approve and reject all assets in moderation. To perform these actions from the Moderation page, pair this permission with 'Access the Moderation page'. To view assets on the page, pair it with the 'View all folders and assets' global permission.",
    "cld::policy::global::upload_presets::manage": "View, create, modify, or delete upload settings, such as upload presets, upload mappings, and upload defaults.",
    "cld::policy::global::folder_and_asset_management::create_asset":
        "Upload assets to any folder, including the root, without requiring specific folder permissions. Includes the option to select an upload preset and apply tags and metadata.",
    "cld::policy::content::folder::add_assets":
        "Add assets to the folder by uploading new files, saving an asset as new, or moving existing assets from other folders. Tags and structured metadata can be applied during upload.",
    "cld::policy::global::users_and_groups::manage": "View, add, and remove users and groups in the account, and manage group memberships.",
    "cld::policy::global::account_security::manage": "Define account-wide security settings related to authentication, access control, and user privacy.",
    "cld::role::account::master_admin": "Manage all account-level settings and features.",
    "cld::role::account::admin": "Manage roles, users, and groups, and access Cloudinary products.",
    "cld::role::account::reports": "View account-level reports and usage metrics, including audit logs, dashboard usage summaries, and account-wide activity reports.",
    "cld::role::prodenv::master_admin": "Fully manage product environment, including settings, product features, dashboards, and reports.",
    "cld::role::prodenv::ml_user": "Access specific folders and collections according to assigned permissions.",
    "cld::role::prodenv::reports": "View product environment reports and usage metrics.",
    "cld::role::folder::viewer": "View and download public assets.",
    "cld::role::folder::contributor": "Viewer permissions, plus add assets and create subfolders.",
    "cld::role::folder::manager": "Editor permissions, plus delete, share, and full download access.",
};

/** Category/sub-category seen in the specs' examples where the catalog file has none. */
const CATEGORIES: Record<string, [string, string]> = {
    "cld::policy::content::folder::view_download": ["Folder", "View and download"],
    "cld::policy::content::folder::add_assets": ["Folder", "Contribute"],
    "cld::policy::global::users_and_groups::manage": ["Settings", "User Management"],
    "cld::policy::global::account_security::manage": ["Settings", "Account Security"],
};

/** Names for catalog policies whose name Cloudinary's material does not give: humanized from the id (emulator assumption). */
function nameFromId(id: string): string {
    const words = id.replace(/^cld::policy::(global|content)::/, "").split(/::|_/).filter(Boolean);
    const text = words.join(" ");
    return text.charAt(0).toUpperCase() + text.slice(1);
}

interface CatalogFile {
    policies: Array<{
        id: string;
        name: string | null;
        scope_type: ScopeType;
        permission_type: PermissionType;
        policy_parameters?: string[];
        category?: string;
        sub_category?: string;
        cedar_statement?: string;
        source: string;
    }>;
    roles: Array<{
        id: string;
        name: string;
        scope_type: ScopeType;
        permission_type: PermissionType;
        policy_parameters?: string[];
        policies?: string[];
        source: string;
    }>;
}

export interface SystemCatalog {
    policies: SystemPolicy[];
    roles: SystemRole[];
}

let catalog: SystemCatalog | undefined;

/** System policies and roles: openapi/system-catalog.json, plus the emulator-only collection roles. */
export function systemCatalog(): SystemCatalog {
    if (catalog) return catalog;
    const file = JSON.parse(fs.readFileSync(path.join(openapiDir(), "system-catalog.json"), "utf8")) as CatalogFile;
    const policies: SystemPolicy[] = file.policies.map((p) => {
        const [category, subCategory] = CATEGORIES[p.id] ?? [p.category, p.sub_category];
        return {
            id: p.id,
            name: p.name ?? nameFromId(p.id),
            description: DESCRIPTIONS[p.id] ?? null,
            scope_type: p.scope_type,
            permission_type: p.permission_type,
            policy_parameters: p.policy_parameters ?? [],
            policy_statement: p.cedar_statement ?? UNPUBLISHED_STATEMENT,
            ...(category ? { category } : {}),
            ...(subCategory ? { sub_category: subCategory } : {}),
            source:
                `system-catalog.json: ${p.source}` +
                (DESCRIPTIONS[p.id] ? "; description from the specs' examples" : "") +
                (CATEGORIES[p.id] ? "; category from the specs' examples" : "") +
                (p.name ? "" : "; name humanized from the id by the emulator") +
                (p.cedar_statement ? "" : "; statement not published (placeholder)"),
        };
    });
    const roles: SystemRole[] = file.roles.map((r) => ({
        id: r.id,
        name: r.name,
        description: DESCRIPTIONS[r.id] ?? null,
        scope_type: r.scope_type,
        permission_type: r.permission_type,
        policy_parameters: r.policy_parameters ?? [],
        system_policy_ids: r.policies ?? [],
        source: `system-catalog.json: ${r.source}${DESCRIPTIONS[r.id] ? "; description from the specs' examples" : ""}`,
    }));
    // The catalog has no collection-role ids; these two let the collection-role rules be exercised.
    roles.push(
        {
            id: "cld::role::collection::viewer",
            name: "Collection Viewer",
            description: "Emulator-only system collection role (no Cloudinary id is known).",
            scope_type: "prodenv",
            permission_type: "content",
            policy_parameters: ["collection_id"],
            system_policy_ids: [],
            source: "emulator assumption: no collection-role id or view-collection policy id is published",
            emulator_only: true,
        },
        {
            id: "cld::role::collection::contributor",
            name: "Collection Contributor",
            description: "Emulator-only system collection role built from the known collection policies.",
            scope_type: "prodenv",
            permission_type: "content",
            policy_parameters: ["collection_id"],
            system_policy_ids: ["cld::policy::content::collection::add_assets", "cld::policy::content::collection::remove_assets"],
            source: "emulator assumption: id invented; policies from docs permissions_manage_roles_api (seeds/002)",
            emulator_only: true,
        },
    );
    catalog = { policies, roles };
    return catalog;
}

/** The seeded account, the same on every start. */
export function seedState(): EmulatorState {
    const pe = (p: typeof PROD | typeof STAGING) => ({
        id: p.id,
        cloudName: p.cloudName,
        name: p.name,
        enabled: true,
        createdAt: SEED_ISO,
        updatedAt: SEED_ISO,
        apiKeys: [
            { key: p.adminKey, secret: p.adminSecret, name: "Admin", enabled: true },
            { key: p.integrationKey, secret: p.integrationSecret, name: "Integration", enabled: true },
        ],
    });
    return {
        format: 1,
        version: 0,
        accountId: ACCOUNT_ID,
        accountApiKey: ACCOUNT_API_KEY,
        accountApiSecret: ACCOUNT_API_SECRET,
        productEnvironments: [pe(PROD), pe(STAGING)],
        users: Object.values(USERS).map((u) => ({
            id: u.id,
            name: u.name,
            email: u.email,
            role: u.role,
            enabled: true,
            pending: false,
            createdAt: SEED_ISO,
            updatedAt: SEED_ISO,
            lastLogin: null,
            subAccountIds: null,
        })),
        groups: [],
        folders: Object.values(FOLDERS).map((f) => ({
            externalId: f.id,
            productEnvironmentId: f.cloudName === PROD.cloudName ? PROD.id : STAGING.id,
            path: f.path,
            createdAt: SEED_ISO,
        })),
        customRoles: [],
        customPolicies: [],
        assignments: [
            {
                roleId: MASTER_ADMIN_ROLE,
                principalType: "user",
                principalId: USERS.alice.id,
                scopeType: "account",
                scopeId: null,
                policyParameters: null,
                createdAt: SEED_EPOCH,
                updatedAt: SEED_EPOCH,
            },
        ],
    };
}
