import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, Level, LevelWithSilentOrString } from 'pino';

type LoggerWithLevels = FastifyBaseLogger & { levels?: { values: Record<string, number> } };

/** pino's numeric levels (its defaults; a logger's own `levels` are read when it has them). */
const defaultLevels: Record<string, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
};

/**
 * A request's logger that makes the pino child (the request id bound, the route's level) only when a line at
 * that level or above is written: until then the lines below the level are dropped, as the child would drop
 * them. For a route that logs only its errors, most requests then make no child — pino's child serialises its
 * bindings through the redaction of every logged path, a few microseconds on each request.
 */
class DeferredChildLogger {
  #child: FastifyBaseLogger | undefined;
  readonly #parent: LoggerWithLevels;
  readonly #bindings: Bindings;
  readonly #options: ChildLoggerOptions;
  readonly #values: Record<string, number>;
  readonly #threshold: number;

  constructor(parent: LoggerWithLevels, bindings: Bindings, options: ChildLoggerOptions) {
    this.#parent = parent;
    this.#bindings = bindings;
    this.#options = options;
    this.#values = parent.levels?.values ?? defaultLevels;
    this.#threshold = this.#values[options.level ?? parent.level] ?? 0;
  }

  /** The child itself, made on first use. */
  #real(): FastifyBaseLogger {
    this.#child ??= this.#parent.child(this.#bindings, this.#options);
    return this.#child;
  }

  #write(level: Level, args: unknown[]): void {
    if (this.#child === undefined && (this.#values[level] ?? 0) < this.#threshold) return;
    (this.#real()[level] as (...a: unknown[]) => void)(...args);
  }

  get level(): LevelWithSilentOrString {
    return this.#child?.level ?? this.#options.level ?? this.#parent.level;
  }
  set level(level: LevelWithSilentOrString) {
    this.#real().level = level;
  }

  fatal(...args: unknown[]): void {
    this.#write('fatal', args);
  }
  error(...args: unknown[]): void {
    this.#write('error', args);
  }
  warn(...args: unknown[]): void {
    this.#write('warn', args);
  }
  info(...args: unknown[]): void {
    this.#write('info', args);
  }
  debug(...args: unknown[]): void {
    this.#write('debug', args);
  }
  trace(...args: unknown[]): void {
    this.#write('trace', args);
  }
  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#real().child(bindings, options);
  }
}

/**
 * A route's `childLoggerFactory` for routes with a `logLevel` above `info`: the request's child logger is made
 * when it first writes a line (see DeferredChildLogger), with the same bindings and options.
 */
export const deferredChildLogger = (
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger => new DeferredChildLogger(logger, bindings, options) as unknown as FastifyBaseLogger;
