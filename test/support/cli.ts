/**
 * Running the real `loupe` command (node --import tsx app/cli/main.ts) as a child process, and reading
 * its delimited output back without the project's own CSV code.
 */
import { execFile } from 'node:child_process';
import { ROOT } from './corpus.js';

export interface CliRun {
  args: string[];
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'app/cli/main.ts', ...args],
      { cwd: ROOT, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ args, code, stdout, stderr });
      },
    );
  });
}

/** Runs each argument list, at most `parallel` at a time, results in input order. */
export async function runAll(list: string[][], parallel = 2): Promise<CliRun[]> {
  const out: CliRun[] = new Array(list.length);
  let next = 0;
  const worker = async () => {
    while (next < list.length) {
      const i = next++;
      out[i] = await runCli(list[i]!);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return out;
}

/** RFC 4180 records (quoted fields may hold the delimiter, quotes doubled, and line breaks). */
export function parseDelimited(text: string, delimiter: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === delimiter) {
      record.push(field);
      field = '';
    } else if (c === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else if (c !== '\r') field += c;
  }
  if (field !== '' || record.length) {
    record.push(field);
    records.push(record);
  }
  return records;
}
