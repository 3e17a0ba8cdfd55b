// CustomPolicy: a custom permission policy written in Cedar (Permissions API /policies/custom). Its id is the
// policy id. Cloudinary identifies a policy by its statement within its scope (the same statement twice in one
// scope is a 409) and refuses an update that leaves the statement unchanged, so only a new statement updates in
// place; any other change replaces the policy (schema.json's x-onChange).
import type { CustomPolicy as LivePolicy } from "../api/domain";
import type { ProviderContext } from "../context";
import { defineResource, Operations } from "../dynamic/define";
import { Args, Instance, resourceClass } from "../dynamic/program";
import { createOrTakeOver, TakeOverReason } from "../dynamic/takeOver";
import type { CustomPolicyInputs } from "../generated/inputs";
import { customPolicyFailures } from "../validation/customPolicy";

export interface CustomPolicyOutputs extends CustomPolicyInputs {
    policyId: string;
}

/** `enabled` left out means true: recorded as left out while the live policy is enabled, so no diff appears. */
function outputsOf(policy: LivePolicy, inputs: Pick<CustomPolicyInputs, "enabled" | "adopt">): CustomPolicyOutputs {
    const { id, name, description, scopeType, scopeId, policyStatement, enabled } = policy;
    return {
        policyId: id,
        name,
        description,
        scopeType,
        scopeId,
        policyStatement,
        enabled: inputs.enabled === undefined && enabled ? undefined : enabled,
        adopt: inputs.adopt,
    };
}

function differences(live: LivePolicy, declared: CustomPolicyInputs): string[] {
    const out: string[] = [];
    if (live.name !== declared.name) out.push("name");
    if ((live.description ?? "") !== (declared.description ?? "")) out.push("description");
    if (live.enabled !== (declared.enabled ?? true)) out.push("enabled");
    if (live.policyStatement.trim() !== declared.policyStatement.trim()) out.push("policyStatement");
    return out;
}

function operations(ctx: ProviderContext): Operations<CustomPolicyInputs, CustomPolicyOutputs> {
    const policies = ctx.api.policies;

    /** The live policy with the declared statement in the declared scope (Cloudinary's identity), or with `adopt` the declared name. */
    async function findExisting(declared: CustomPolicyInputs): Promise<LivePolicy | undefined> {
        const inScope = (await policies.list(declared.scopeType, declared.scopeId)).filter((p) => (p.scopeId ?? "") === (declared.scopeId ?? ""));
        const sameStatement = inScope.find((p) => p.policyStatement.trim() === declared.policyStatement.trim());
        return sameStatement ?? (declared.adopt ? inScope.find((p) => p.name === declared.name) : undefined);
    }

    /**
     * An existing policy stands where the declared one would be created: taken over when identical (after an
     * interrupted run or a lost reply), or with `adopt` brought to the declaration. A new statement is an update;
     * a change of anything else with the same statement cannot be (Cloudinary's 409), so it is deleted and created.
     */
    async function takeOver(live: LivePolicy, declared: CustomPolicyInputs, why: TakeOverReason): Promise<CustomPolicyOutputs> {
        const label = `custom policy '${live.name}' (${live.id})`;
        const changed = differences(live, declared);
        if (changed.length === 0) {
            if (why === "conflict") ctx.warn(`CustomPolicy '${declared.name}': the identical ${label} already existed; it is now managed by this stack`);
            return outputsOf(live, declared);
        }
        if (!declared.adopt) {
            throw new Error(`CustomPolicy '${declared.name}': ${label} already has this statement in this scope and differs in ${changed.join(", ")}. Set adopt: true to take it over and update it, or change the statement.`);
        }
        if (changed.includes("policyStatement")) return outputsOf(await policies.update(live.id, declared), declared);
        ctx.warn(`CustomPolicy '${declared.name}': ${label} differs in ${changed.join(", ")} with the same statement, which Cloudinary cannot update; it is replaced`);
        await policies.delete(live.id);
        return outputsOf(await policies.create(declared), declared);
    }

    return {
        async create(declared) {
            const existing = declared.adopt ? await findExisting(declared) : undefined;
            if (existing) return takeOver(existing, declared, "adopt");
            return createOrTakeOver(
                async () => outputsOf(await policies.create(declared), declared),
                () => findExisting(declared),
                (taken, why) => takeOver(taken, declared, why),
            );
        },
        async read(id, known) {
            const live = await policies.get(id);
            return live ? outputsOf(live, known) : undefined;
        },
        async update(id, _olds, declared) {
            return outputsOf(await policies.update(id, declared), declared);
        },
        async delete(id) {
            await policies.delete(id);
        },
    };
}

export const customPolicy = defineResource<CustomPolicyInputs, CustomPolicyOutputs>({
    kind: "CustomPolicy",
    id: { output: "policyId" },
    // The replacement usually keeps the statement, which must leave its scope before it can be created again.
    deleteBeforeReplace: true,
    rules: customPolicyFailures,
    claims({ scopeType, scopeId, policyStatement }) {
        const statement = typeof policyStatement === "string" ? policyStatement.trim() : policyStatement;
        return { unique: [{ what: "statement in the same scope", parts: [scopeType, scopeId, statement] }] };
    },
    operations,
});

/** A custom permission policy in Cedar; `policyId` is the id Cloudinary generated. */
export const CustomPolicy = resourceClass(customPolicy);
export type CustomPolicy = Instance<CustomPolicyOutputs>;
export type CustomPolicyArgs = Args<CustomPolicyInputs>;
