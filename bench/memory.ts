// Peak memory of the dynamic-provider process(es) a step starts, read from /proc (Linux): VmHWM is the
// process's own high-water mark, so polling only has to catch the process before it exits.
import * as fs from "node:fs";

function parentOf(pid: number): number | undefined {
    try {
        // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces and parentheses.
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    } catch {
        return undefined;
    }
}

function isDescendant(pid: number, ancestor: number): boolean {
    for (let p: number | undefined = pid, hops = 0; p && p > 1 && hops < 32; hops++) {
        if (p === ancestor) return true;
        p = parentOf(p);
    }
    return false;
}

function peakKiB(pid: number): number | undefined {
    try {
        const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
        return match ? Number(match[1]) : undefined;
    } catch {
        return undefined;
    }
}

function matches(pid: number, marker: string): boolean {
    try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(marker) && isDescendant(pid, process.pid);
    } catch {
        return false;
    }
}

/** Watches this process's descendants whose command line contains `marker`; `stop()` gives the largest peak in MiB. */
export function watchPeakMemory(marker: string, intervalMs = 100): { stop(): number | undefined } {
    const peaks = new Map<number, number>();
    const poll = () => {
        if (!fs.existsSync("/proc/self/status")) return;
        for (const entry of fs.readdirSync("/proc")) {
            const pid = Number(entry);
            if (!Number.isInteger(pid)) continue;
            if (!peaks.has(pid) && !matches(pid, marker)) continue;
            const kib = peakKiB(pid);
            if (kib !== undefined) peaks.set(pid, Math.max(peaks.get(pid) ?? 0, kib));
        }
    };
    const timer = setInterval(poll, intervalMs);
    return {
        stop() {
            clearInterval(timer);
            poll();
            return peaks.size ? Math.max(...peaks.values()) / 1024 : undefined;
        },
    };
}
