// Client of Cloudinary's Provisioning API (/v1_1/provisioning/accounts/{account_id}), typed from provisioning.yml.
import type { components } from "../../wire/provisioning";
import { HttpClient } from "./http";

type Schemas = components["schemas"];
export type UserGroup = Schemas["UserGroup"];
export type User = Schemas["User"];
export type ProductEnvironment = Schemas["ProductEnvironment"];

export class ProvisioningApi {
    constructor(private readonly http: HttpClient, private readonly accountId: string) {}

    private path(rest: string): string {
        return `/v1_1/provisioning/accounts/${encodeURIComponent(this.accountId)}/${rest}`;
    }

    /** With extended details each group comes with its users. */
    async listUserGroups(extendedDetails = false): Promise<UserGroup[]> {
        const body = await this.http.get<Schemas["UserGroupsResponse"]>(this.path("user_groups"), extendedDetails ? { extended_details: true } : undefined);
        return (body.user_groups ?? []) as UserGroup[];
    }

    /** With extended details the group's users come in the same reply, so one request reads a whole group. */
    getUserGroup(groupId: string): Promise<UserGroup> {
        return this.http.get<UserGroup>(this.path(`user_groups/${encodeURIComponent(groupId)}`), { extended_details: true });
    }

    createUserGroup(name: string): Promise<UserGroup> {
        const request: Schemas["UserGroupRequest"] = { name };
        return this.http.post<UserGroup>(this.path("user_groups"), request);
    }

    updateUserGroup(groupId: string, name: string): Promise<UserGroup> {
        const request: Schemas["UserGroupRequest"] = { name };
        return this.http.put<UserGroup>(this.path(`user_groups/${encodeURIComponent(groupId)}`), request);
    }

    async deleteUserGroup(groupId: string): Promise<void> {
        await this.http.delete(this.path(`user_groups/${encodeURIComponent(groupId)}`));
    }

    async addUserToGroup(groupId: string, userId: string): Promise<void> {
        await this.http.post(this.path(`user_groups/${encodeURIComponent(groupId)}/users/${encodeURIComponent(userId)}`));
    }

    async removeUserFromGroup(groupId: string, userId: string): Promise<void> {
        await this.http.delete(this.path(`user_groups/${encodeURIComponent(groupId)}/users/${encodeURIComponent(userId)}`));
    }

    /**
     * Every user, page by page. The spec pages users with page and page_size but says neither the default nor the
     * largest page size, nor how the last page is marked. So no page size is asked for (a server that caps it would
     * make a short page look like the last), and pages are read until one comes back empty or shorter than the
     * longest seen: one request more than the pages, at most. With `sub_account_id`, only the users who can enter
     * that product environment.
     */
    async listUsers(query: { sub_account_id?: string } = {}): Promise<User[]> {
        const users: User[] = [];
        let longest = 0;
        for (let page = 1; ; page++) {
            const batch = (await this.http.get<Schemas["UsersResponse"]>(this.path("users"), { ...query, page })).users ?? [];
            users.push(...batch);
            if (batch.length === 0 || batch.length < longest) return users;
            longest = batch.length;
        }
    }

    /** The product environments a user can enter (`all_sub_accounts` in the user says whether it is every one). */
    async listUserProductEnvironments(userId: string): Promise<Schemas["SubAccountSummary"][]> {
        const body = await this.http.get<Schemas["UserSubAccountsResponse"]>(this.path(`users/${encodeURIComponent(userId)}/sub_accounts`));
        return body.sub_accounts ?? [];
    }

    getUser(userId: string): Promise<User> {
        return this.http.get<User>(this.path(`users/${encodeURIComponent(userId)}`));
    }

    /** Changes some of a user's fields (the others are left as they are). */
    updateUser(userId: string, change: Schemas["UserRequest"]): Promise<User> {
        return this.http.put<User>(this.path(`users/${encodeURIComponent(userId)}`), change);
    }

    /** Product environments are called sub-accounts in the Provisioning API. */
    async listProductEnvironments(): Promise<ProductEnvironment[]> {
        const body = await this.http.get<Schemas["ProductEnvironmentsResponse"]>(this.path("sub_accounts"));
        return body.sub_accounts ?? [];
    }
}
