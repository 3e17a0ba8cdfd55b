// ProductEnvironmentAccess: the product environments one user may enter (the Provisioning API's sub_account_ids),
// authoritative for that user. A product-environment role held through a group reaches a member only where the
// member may enter, so this is the other half of what a group grant gives. Cloudinary's default is every product
// environment; deleting the resource gives every one back. id = the user id.
import type { ProductEnvironmentAccess as Access } from "../api/domain";
import type { ProviderContext } from "../context";
import { defineResource, IdCodec, Operations } from "../dynamic/define";
import { Args, Instance, resourceClass } from "../dynamic/program";
import { sorted } from "../dynamic/sets";
import type { ProductEnvironmentAccessInputs } from "../generated/inputs";
import { ALL, masterAdminRefusal, productEnvironmentAccessFailures } from "../validation/productEnvironmentAccess";

type Inputs = ProductEnvironmentAccessInputs;

const codec: IdCodec<Inputs> = { format: (a) => a.userId, parse: (id) => ({ userId: id }) };

function accessOf(inputs: Pick<Inputs, "productEnvironmentIds">): Access {
    return inputs.productEnvironmentIds.includes(ALL) ? { all: true } : { all: false, productEnvironmentIds: sorted(inputs.productEnvironmentIds) };
}

function outputsOf(userId: string, access: Access): Inputs {
    return { userId, productEnvironmentIds: access.all ? [ALL] : sorted(access.productEnvironmentIds) };
}

function same(a: Access, b: Access): boolean {
    return a.all ? b.all : !b.all && JSON.stringify(a.productEnvironmentIds) === JSON.stringify(b.productEnvironmentIds);
}

function operations(ctx: ProviderContext): Operations<Inputs, Inputs> {
    const directory = ctx.directory;

    /** Sets the access unless it already is so; a user made master admin since the check is refused (Cloudinary would ignore it). */
    async function converge(userId: string, wanted: Access): Promise<Inputs> {
        const current = await directory.productEnvironmentAccess(userId, "fresh");
        if (!current) throw new Error(`ProductEnvironmentAccess ${userId}: no such user in the account (deleted since the preview?)`);
        if (!same(current, wanted)) {
            const user = await directory.user(userId);
            if (user?.accountRole === "master_admin" && !wanted.all) throw new Error(`ProductEnvironmentAccess ${userId}: ${masterAdminRefusal(user.email ?? userId)}`);
            await directory.setProductEnvironmentAccess(userId, wanted);
        }
        return outputsOf(userId, wanted);
    }

    return {
        create: (inputs) => converge(inputs.userId, accessOf(inputs)),
        async read(id, known) {
            const userId = known.userId ?? id;
            const access = await directory.productEnvironmentAccess(userId, "read", userId);
            return access && outputsOf(userId, access);
        },
        update: (_id, _olds, news) => converge(news.userId, accessOf(news)),
        // Cloudinary's default back: every product environment. A user that is gone needs nothing (404).
        delete: async (_id, props) => {
            await directory.setProductEnvironmentAccess(props.userId, { all: true });
        },
    };
}

export const productEnvironmentAccess = defineResource<Inputs, Inputs>({
    kind: "ProductEnvironmentAccess",
    id: codec,
    rules: productEnvironmentAccessFailures,
    claims: (args) => ({ unique: [{ what: "user", parts: [args.userId] }] }),
    operations,
});

/** The product environments one user may enter; authoritative for that user. */
export const ProductEnvironmentAccess = resourceClass(productEnvironmentAccess);
export type ProductEnvironmentAccess = Instance<Inputs>;
export type ProductEnvironmentAccessArgs = Args<Inputs>;
export type ProductEnvironmentAccessOutputs = Inputs;
