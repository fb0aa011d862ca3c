// Preloaded with --import by test/e2e/startup.test.ts: every module the main thread loads (ES
// modules and the entry file of each CommonJS package) is appended to $LISTEN_TEST_MODULE_LOG.
// Worker threads (import's reader, the audit's walk) are left out: they load what they work with.
import { register } from 'node:module'
import { isMainThread } from 'node:worker_threads'

if (isMainThread) register(new URL('./module-log-hooks.mjs', import.meta.url), { data: process.env.LISTEN_TEST_MODULE_LOG })
