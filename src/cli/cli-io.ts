/** Where a CLI run reads and writes, so tests run commands in-process with captured output. */
export interface CliIo {
  /** The environment (ELEVATE_SERVER, ELEVATE_TOKEN, ELEVATE_CONFIG_DIR, HOME, the server's ELEVATE_*). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: CliOutput;
  readonly stderr: CliOutput;
  readonly stdin: CliInput;
  /** The time used for "in 1h 52m" and token expiry; the system clock by default. */
  readonly now?: () => Date;
  readonly fetch?: typeof fetch;
  /** Opens a URL in the person's browser (`--oidc`); the platform's opener by default. */
  readonly openUrl?: (url: string) => unknown;
}

export interface CliOutput {
  write(chunk: string | Uint8Array): unknown;
}

export type CliInput = NodeJS.ReadableStream & {
  readonly isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
};
