// The Cedar schema the emulator serves (GET /v2/accounts/permissions/public/schema), in Cedar's JSON schema format.
// The spec documents the schema only by an example that uses entity types it never declares (Feature, Collection,
// EasyFlow's principals); this is that example completed so that it validates: every entity type and action the
// system policies' statements (openapi/system-catalog.json) and the spec's policy examples use is declared. A test
// validates every system policy against it in strict mode.

const PRINCIPALS = ["User", "Group", "APIKey"];
const ANCESTORS = { type: "Set", element: { type: "String" }, required: true };
const CONTENT = ["Folder", "Asset", "Collection"];
const SETTINGS = ["UploadPreset", "UploadMapping", "ProductEnvironment", "Account", "User", "Group"];

const applies = (resourceTypes: string[], context?: object) => ({ appliesTo: { principalTypes: PRINCIPALS, resourceTypes, ...(context ? { context } : {}) } });

export const CEDAR_SCHEMA = {
    Cloudinary: {
        entityTypes: {
            User: { memberOfTypes: ["Group"], shape: { type: "Record", attributes: { root: { type: "Boolean", required: false } } } },
            Group: {},
            APIKey: {},
            Account: {},
            ProductEnvironment: {},
            Feature: {},
            Collection: {},
            UploadPreset: {},
            UploadMapping: {},
            Folder: { shape: { type: "Record", attributes: { ancestor_ids: ANCESTORS, name: { type: "String", required: true } } } },
            Asset: { shape: { type: "Record", attributes: { ancestor_ids: ANCESTORS, resource_type: { type: "String", required: true } } } },
            Report: { shape: { type: "Record", attributes: { type: { type: "String", required: true } } } },
        },
        actions: {
            read: applies([...CONTENT, "Feature", "Report", ...SETTINGS]),
            create: applies([...CONTENT, "Feature", "UploadPreset", "UploadMapping", "User", "Group"]),
            update: applies([...CONTENT, "Feature", ...SETTINGS]),
            delete: applies([...CONTENT, "Feature", "UploadPreset", "UploadMapping", "User", "Group"]),
            move: applies(["Asset", "Folder"], { type: "Record", attributes: { direction: { type: "String", required: false } } }),
            moderate: applies(["Asset"]),
            update_settings: applies(["ProductEnvironment"]),
        },
    },
    MediaFlows: {
        entityTypes: { EasyFlow: {}, PowerFlow: {}, LogEntry: {} },
        actions: {
            read: { appliesTo: { principalTypes: ["Cloudinary::User", "Cloudinary::Group"], resourceTypes: ["EasyFlow", "PowerFlow", "LogEntry"] } },
        },
    },
};
