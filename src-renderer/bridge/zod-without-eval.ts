/**
 * The contract's zod schemas test for `Function('')` when they are built, to compile fast parsers. Our CSP
 * (`script-src 'self'`, no 'unsafe-eval') refuses that and reports a violation; tell zod not to try.
 * Must run before the contract module is evaluated, hence its own module, imported first by index.ts.
 */
import { config } from 'zod';

config({ jitless: true });
