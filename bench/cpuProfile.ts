// Preloaded with NODE_OPTIONS=--require by `bench --cpu-prof DIR` (node refuses --cpu-prof in NODE_OPTIONS):
// profiles the dynamic-provider process it lands in and writes DIR/<pid>.cpuprofile when the process ends.
import * as fs from "node:fs";
import * as inspector from "node:inspector";
import * as path from "node:path";

const dir = process.env.CLOUDINARY_BENCH_CPU_PROFILE_DIR;
if (dir && process.argv.some((a) => a.includes("dynamic-provider"))) {
    const session = new inspector.Session();
    session.connect();
    session.post("Profiler.enable");
    session.post("Profiler.start");
    let written = false;
    const write = () => {
        if (written) return;
        written = true;
        // On the profiled thread itself the inspector answers synchronously.
        session.post("Profiler.stop", (error, result) => {
            if (error) return;
            fs.mkdirSync(dir, { recursive: true });
            fs.writeFileSync(path.join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
        });
    };
    process.on("exit", write);
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
        process.once(signal, () => {
            write();
            process.exit(0);
        });
    }
}
