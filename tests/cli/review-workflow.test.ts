// The GitOps example's workflow runs the review on pull requests: its shell step (run as GitHub runs it, bash -eo
// pipefail, with a stand-in `npx` that exits as review would) keeps the md and passes the exit code on, and its
// github-script step (run with a stand-in GitHub client) posts one comment and then updates that same comment.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { COMMENT_MARKER } from "../../cli/review/formats";

const WORKFLOW = path.resolve(__dirname, "..", "..", "examples", "gitops", ".github", "workflows", "permissions.yml");

interface Step {
    name?: string;
    run?: string;
    if?: string;
    with?: { script?: string };
}

const workflow = () => parse(fs.readFileSync(WORKFLOW, "utf8")) as { jobs: Record<string, { if?: string; steps: Step[]; permissions?: Record<string, string> }> };
const reviewStep = (name: string) => workflow().jobs.review.steps.find((s) => s.name === name)!;

/** The review step in a folder of its own, with `npx` printing a comment and exiting with `code`. */
function runReviewStep(code: number): { status: number | null; output: string; md: string; stderr: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cldperm-workflow-"));
    fs.mkdirSync(path.join(dir, "bin"));
    fs.writeFileSync(path.join(dir, "bin", "npx"), `#!/bin/sh\necho "${COMMENT_MARKER}"\necho "args: $*"\necho "denied: bob" >&2\nexit ${code}\n`, { mode: 0o755 });
    fs.writeFileSync(path.join(dir, "step.sh"), reviewStep("Review access changes").run!);
    const output = path.join(dir, "github-output");
    const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "step.sh"], {
        cwd: dir,
        env: { ...process.env, PATH: `${path.join(dir, "bin")}${path.delimiter}${process.env.PATH}`, PULUMI_STACK: "prod", GITHUB_OUTPUT: output },
        encoding: "utf8",
    });
    return { status: result.status, output: fs.existsSync(output) ? fs.readFileSync(output, "utf8") : "", md: fs.readFileSync(path.join(dir, "review.md"), "utf8"), stderr: result.stderr };
}

describe("the GitOps workflow's review job", () => {
    it("keeps the preview, deploy and drift jobs and runs the review on pull requests only, allowed to comment", () => {
        const { jobs } = workflow();
        assert.deepEqual(Object.keys(jobs).sort(), ["deploy", "drift", "preview", "review"]);
        assert.equal(jobs.review.if, "github.event_name == 'pull_request'");
        assert.equal(jobs.review.permissions?.["pull-requests"], "write");
        assert.equal(reviewStep("Fail on a denied gain").if, "steps.review.outputs.exit-code == '3'");
    });

    it("writes the md and passes exit code 3 (a denied gain) on to the last step; any other failure fails the step", () => {
        const denied = runReviewStep(3);
        assert.equal(denied.status, 0, denied.stderr);
        assert.equal(denied.output, "exit-code=3\n");
        assert.equal(denied.md, `${COMMENT_MARKER}\nargs: cloudinary-permissions review --stack prod --refresh --format md --deny cld::role::account::master_admin\n`);
        assert.match(denied.stderr, /denied: bob/);
        assert.equal(runReviewStep(0).output, "exit-code=0\n");
        const broken = runReviewStep(2);
        assert.equal(broken.status, 2);
    });

    it("posts one comment, then updates that one (found by the marker), leaving people's comments alone", async () => {
        const script = reviewStep("Post or update the review comment").with!.script!;
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cldperm-workflow-"));
        const comments: { id: number; body: string; user: { type: string } }[] = [{ id: 1, body: `${COMMENT_MARKER} quoted by a person`, user: { type: "User" } }];
        const github = {
            paginate: async (list: () => unknown) => (list(), comments.map((c) => ({ ...c }))),
            rest: {
                issues: {
                    listComments: () => undefined,
                    createComment: async ({ body }: { body: string }) => void comments.push({ id: comments.length + 1, body, user: { type: "Bot" } }),
                    updateComment: async ({ comment_id, body }: { comment_id: number; body: string }) => void (comments.find((c) => c.id === comment_id)!.body = body),
                },
            },
        };
        const context = { repo: { owner: "acme", repo: "permissions" }, issue: { number: 7 } };
        const cwd = process.cwd();
        const step = new (Object.getPrototypeOf(async () => undefined).constructor)("github", "context", "require", script) as (...a: unknown[]) => Promise<void>;
        try {
            process.chdir(dir);
            fs.writeFileSync("review.md", `${COMMENT_MARKER}\nfirst\n`);
            await step(github, context, require);
            assert.deepEqual(comments.map((c) => c.id), [1, 2]);
            fs.writeFileSync("review.md", `${COMMENT_MARKER}\nsecond\n`);
            await step(github, context, require);
            assert.deepEqual(comments[1], { id: 2, body: `${COMMENT_MARKER}\nsecond\n`, user: { type: "Bot" } });
            fs.writeFileSync("review.md", `${COMMENT_MARKER}\n${"x".repeat(70_000)}`);
            await step(github, context, require);
        } finally {
            process.chdir(cwd);
        }
        assert.deepEqual(comments.slice(0, 1), [{ id: 1, body: `${COMMENT_MARKER} quoted by a person`, user: { type: "User" } }]);
        assert.equal(comments.length, 2, "one review comment");
        assert.ok(comments[1].body.length < 65536 && comments[1].body.endsWith("_(truncated: run `cloudinary-permissions review` for the whole review)_\n"), comments[1].body.slice(-100));
    });
});
