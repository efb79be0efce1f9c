import { config } from 'zod';

// Zod probes `new Function` to speed up parsing; under the portal's CSP (no 'unsafe-eval') the probe is a
// violation report on every page. Imported first by browser.ts, so it runs before any schema is made.
config({ jitless: true });
