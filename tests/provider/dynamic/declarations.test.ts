// Program-side checks across declarations: the same object declared twice, and a FolderShare fighting a
// RoleAssignment over one principal's roles on one folder. (One registry serves every case, as one program's
// does, so each case uses ids of its own.)
import * as assert from "node:assert/strict";
import { ProgramClaims } from "../../../provider/validation/declarations";

describe("declarations", () => {
    const claims = new ProgramClaims();
    const claimUnique = (kind: string, what: string, parts: unknown[], name: string) => claims.claim(kind, name, { unique: [{ what, parts }] });
    const claimFolderRoles = (kind: string, principalType: string, principalId: string, folderId: string, name: string) => claims.claim(kind, name, { folderRoles: { principalType, principalId, folderId } });

    it("refuses the same object declared by two resources, and allows one resource to claim again", () => {
        claimUnique("Group", "group name", ["Dup team"], "a");
        claimUnique("Group", "group name", ["Dup team"], "a");
        assert.throws(() => claimUnique("Group", "group name", ["Dup team"], "b"), /Group 'b' declares the same group name as Group 'a' \(Dup team\)/);
    });

    it("does not compare values computed from other resources", () => {
        const computed = { apply: () => undefined };
        claimUnique("Group", "group name", [computed], "c");
        claimUnique("Group", "group name", [computed], "d");
    });

    it("refuses a FolderShare and a folder grant on the same folder and principal, in either order", () => {
        claimFolderRoles("FolderShare", "group", "g-1", "folder-1", "share-1");
        assert.throws(
            () => claimFolderRoles("RoleAssignment", "group", "g-1", "folder-1", "grant-1"),
            /FolderShare 'share-1' and RoleAssignment 'grant-1' both manage the folder roles of group g-1 on folder folder-1\. .*add the role to the FolderShare's roles/,
        );
        claimFolderRoles("RoleAssignment", "user", "u-2", "folder-2", "grant-2");
        claimFolderRoles("RoleAssignment", "user", "u-2", "folder-2", "grant-3");
        assert.throws(() => claimFolderRoles("FolderShare", "user", "u-2", "folder-2", "share-2"), /FolderShare 'share-2' and RoleAssignment 'grant-2'/);
    });

    it("allows a share and folder grants that differ in folder or principal", () => {
        claimFolderRoles("FolderShare", "group", "g-3", "folder-3", "share-3");
        claimFolderRoles("RoleAssignment", "group", "g-3", "folder-4", "grant-4");
        claimFolderRoles("RoleAssignment", "group", "g-4", "folder-3", "grant-5");
        claimFolderRoles("RoleAssignment", "user", "g-3", "folder-3", "grant-6");
    });
});
