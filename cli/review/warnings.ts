// Warnings for grants that do nothing (issue 17, item 3), as review reports them: the one place their list is
// made. NOT WIRED YET: the rules (a product-environment role that cannot reach a member without access to the
// environment, a content role on an API key without Media Library access, a custom role holding part of a
// task, a Console-only role on an API key) live in the warnings module written beside this command; the lead
// wires them here at merge. Until then the list is empty: review shows no warning rather than a made-up one.
import type { Declared } from "./declarations";
import type { AccessState } from "./model";

export interface ReviewWarning {
    /** Which rule: the warnings module's code for it. */
    code: string;
    message: string;
    /** The declaration the warning is about. */
    urn?: string;
}

export function reviewWarnings(_declared: Declared[], _before: AccessState, _after: AccessState): ReviewWarning[] {
    return [];
}
