// Quickstart: a small team's Cloudinary roles and permissions, declared with pulumi-cloudinary-permissions.
//
// Acme has an account with two product environments (acme-prod, acme-staging). The platform team administers
// the account, designers upload and curate brand assets, marketing works in the campaign folders, and an
// integration (a product environment API key) uploads product images.
//
// People are named by email, product environments by cloud name and folders by path, as the Console shows them;
// the provider resolves each to its id at preview (ids work too). These are the local emulator's seeded account
// (see the README); replace them with your own.
import * as pulumi from "@pulumi/pulumi";
import { CustomRole, FolderShare, Group, PrincipalRoles, RoleAssignment } from "../../provider";

const account = {
    production: "acme-prod",
    users: {
        alice: "alice@acme.example",
        bob: "bob@acme.example",
        carol: "carol@acme.example",
        dave: "dave@acme.example",
        erin: "erin@acme.example",
    },
    /** An API key of acme-prod used by the product-catalog integration. */
    integrationKey: "820000000000002",
    folders: {
        campaigns: "marketing/campaigns",
        brandAssets: "creative/brand-assets",
        products: "products",
    },
};

// ---- groups ----------------------------------------------------------------------------------------------

const platform = new Group("platform", { name: "Platform", memberIds: [account.users.alice, account.users.dave] });
const designers = new Group("designers", { name: "Designers", memberIds: [account.users.bob, account.users.erin] });
const marketing = new Group("marketing", { name: "Marketing", memberIds: [account.users.carol] });

// ---- custom roles ----------------------------------------------------------------------------------------

// Account administration without access to media.
const platformAdmin = new CustomRole("platform-admin", {
    name: "Platform admin",
    description: "Manage users, groups and account security; no media access.",
    permissionType: "global",
    scopeType: "account",
    systemPolicyIds: ["cld::policy::global::users_and_groups::manage", "cld::policy::global::account_security::manage"],
});

// Upload settings and uploads in a product environment.
const uploadManager = new CustomRole("upload-manager", {
    name: "Upload manager",
    description: "Manage upload presets and upload new assets.",
    permissionType: "global",
    scopeType: "prodenv",
    systemPolicyIds: [
        "cld::policy::global::ml::access",
        "cld::policy::global::upload_presets::manage",
        "cld::policy::global::folder_and_asset_management::create_asset",
    ],
});

// A folder role: view and add assets in the folder it is assigned on.
const campaignContributor = new CustomRole("campaign-contributor", {
    name: "Campaign contributor",
    description: "View all assets in the folder and add new ones.",
    permissionType: "content",
    scopeType: "prodenv",
    systemPolicyIds: ["cld::policy::content::folder::view_download", "cld::policy::content::folder::add_assets"],
});

// ---- role assignments ------------------------------------------------------------------------------------

// Everything the Platform group holds, authoritatively: a role granted to it anywhere else (in the Console, by
// another tool) shows in `pulumi preview --refresh` and the next `pulumi up` revokes it. `npm run drift` grants
// it Master Admin to show this.
new PrincipalRoles("platform-roles", {
    principalType: "group",
    principalId: platform.groupId,
    roles: [{ roleId: platformAdmin.roleId }],
});

// Designers manage uploads in production only.
new RoleAssignment("designers-upload-prod", {
    roleId: uploadManager.roleId,
    principalType: "group",
    principalId: designers.groupId,
    scopeId: account.production,
});

// Marketing uses the Media Library in every product environment.
new RoleAssignment("marketing-media-library", {
    roleId: "cld::role::prodenv::ml_user",
    principalType: "group",
    principalId: marketing.groupId,
    scopeId: "all",
});

// Marketing contributes to the campaigns folder (and, by inheritance, its subfolders).
new RoleAssignment("marketing-campaigns", {
    roleId: campaignContributor.roleId,
    principalType: "group",
    principalId: marketing.groupId,
    scopeId: account.production,
    policyParameters: { folderId: account.folders.campaigns },
});

// The integration's API key uploads in production.
new RoleAssignment("integration-upload-prod", {
    roleId: uploadManager.roleId,
    principalType: "apiKey",
    principalId: account.integrationKey,
    scopeId: account.production,
});

// ---- folder shares (Admin API) ---------------------------------------------------------------------------

new FolderShare("designers-brand-assets", {
    cloudName: account.production,
    folderId: account.folders.brandAssets,
    principalType: "group",
    principalId: designers.groupId,
    roles: ["cld::role::folder::contributor"],
});

new FolderShare("integration-products", {
    cloudName: account.production,
    folderId: account.folders.products,
    principalType: "apiKey",
    principalId: account.integrationKey,
    roles: ["cld::role::folder::viewer"],
});

// ---- outputs ---------------------------------------------------------------------------------------------

export const groups = { platform: platform.groupId, designers: designers.groupId, marketing: marketing.groupId };
export const roles = {
    platformAdmin: platformAdmin.roleId,
    uploadManager: uploadManager.roleId,
    campaignContributor: campaignContributor.roleId,
};
export const stack = pulumi.getStack();
