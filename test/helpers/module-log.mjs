// Preloaded with --import by test/e2e/startup.test.ts: every module the process loads (ES modules
// and the entry file of each CommonJS package) is appended to $LISTEN_TEST_MODULE_LOG.
import { register } from 'node:module'

register(new URL('./module-log-hooks.mjs', import.meta.url), { data: process.env.LISTEN_TEST_MODULE_LOG })
