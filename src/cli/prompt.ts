import { createInterface } from 'node:readline/promises';
import { CliError } from './cli-error.js';
import type { CliIo } from './cli-io.js';

const maxStdin = 64 * 1024;

/** All of stdin (for --password-stdin), without its final line break. */
export async function readStdin(io: CliIo): Promise<string> {
  let text = '';
  for await (const chunk of io.stdin) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (text.length > maxStdin) throw new CliError('stdin is too long for a password');
  }
  return text.replace(/\r?\n$/, '');
}

/** Asks on the terminal and reads one line as typed. */
export async function promptLine(io: CliIo, question: string): Promise<string> {
  io.stderr.write(question);
  const rl = createInterface({ input: io.stdin, terminal: false });
  try {
    return (await rl.question('')).trim();
  } finally {
    rl.close();
  }
}

/** Asks on the terminal and reads one line without echoing it (raw mode; Ctrl-C cancels). */
export async function promptHidden(io: CliIo, question: string): Promise<string> {
  const stdin = io.stdin;
  if (!stdin.setRawMode) return promptLine(io, question);
  io.stderr.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise<string>((resolve, reject) => {
    let value = '';
    const finish = () => {
      stdin.removeListener('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      io.stderr.write('\n');
    };
    const onData = (chunk: string | Buffer) => {
      for (const ch of String(chunk)) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          finish();
          resolve(value);
          return;
        }
        if (ch === '\u0003') {
          finish();
          reject(new CliError('Canceled.', 130));
          return;
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
