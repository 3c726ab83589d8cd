import { readFile } from 'node:fs/promises';
import { cpus, hostname, totalmem } from 'node:os';

/** Where and how a bench ran: the header of its report. */
export interface MachineInfo {
  date: string;
  hostname: string;
  cpuModel: string;
  cores: number;
  totalMemoryBytes: number;
  node: string;
  distribution: string;
  command: string;
}

/** The first `model name` of /proc/cpuinfo (os.cpus() as a fallback). */
export async function cpuModel(): Promise<string> {
  try {
    const text = await readFile('/proc/cpuinfo', 'utf8');
    const match = /^model name\s*:\s*(.+)$/m.exec(text);
    if (match?.[1] !== undefined) return match[1].trim();
  } catch {
    // Not Linux, or no /proc: fall through.
  }
  return cpus()[0]?.model ?? 'unknown';
}

/** The command line as run, e.g. `node --import tsx src/main.ts --smoke`. */
export function commandLine(): string {
  const quote = (part: string) => (/^[\w@%+=:,./-]+$/.test(part) ? part : `'${part}'`);
  const [, script = '', ...args] = process.argv;
  return ['node', ...process.execArgv, script, ...args].map(quote).join(' ');
}

export async function machineInfo(distribution: string): Promise<MachineInfo> {
  return {
    date: new Date().toISOString(),
    hostname: hostname(),
    cpuModel: await cpuModel(),
    cores: cpus().length,
    totalMemoryBytes: totalmem(),
    node: process.version,
    distribution,
    command: commandLine(),
  };
}
