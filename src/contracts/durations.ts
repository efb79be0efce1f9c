/** ISO 8601 durations (`PT8H`, `P90D`) exactly as the server reads them. */
export {
  addDuration,
  describeDuration,
  durationMs,
  formatDuration,
  parseDuration,
} from '../core/time/duration.js';
