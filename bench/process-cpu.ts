import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** CPU seconds used so far by every process of each named program (Linux `/proc`; zeros elsewhere). */
export function cpuSecondsByProgram(programs: readonly string[]): Record<string, number> {
  const totals = Object.fromEntries(programs.map((program) => [program, 0]));
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return totals;
  }
  const ticksPerSecond = 100; // USER_HZ, 100 on Linux
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // the process ended meanwhile
    }
    // `pid (comm) state …`: comm may hold spaces, so split after its closing parenthesis.
    const program = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    if (!(program in totals)) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    totals[program] += (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  }
  return totals;
}

/** CPU used between two readings, in microseconds per task, this process included. */
export class CpuMeter {
  private readonly programs: readonly string[];
  private readonly startPrograms: Record<string, number>;
  private readonly startSelf = process.cpuUsage();
  private readonly startLoop = performance.eventLoopUtilization();

  constructor(programs: readonly string[]) {
    this.programs = programs;
    this.startPrograms = cpuSecondsByProgram(programs);
  }

  perTask(tasks: number): Record<string, number> {
    const self = process.cpuUsage(this.startSelf);
    const now = cpuSecondsByProgram(this.programs);
    const result: Record<string, number> = {
      node: Math.round((self.user + self.system) / tasks),
    };
    for (const program of this.programs) {
      result[program] = Math.round(((now[program] - this.startPrograms[program]) * 1e6) / tasks);
    }
    return result;
  }

  /** The share of the time this process's event loop was busy (1: it was the bottleneck). */
  loopBusy(): number {
    return performance.eventLoopUtilization(this.startLoop).utilization;
  }
}
