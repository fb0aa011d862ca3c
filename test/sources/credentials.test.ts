import { describe, expect, it } from 'vitest'
import { UsageError } from '../../src/models/errors.js'
import { type Credential, requireSecrets } from '../../src/sources/types.js'

const creds: Credential[] = [
  { key: 'idEnv', defaultEnv: 'ACME_ID', required: true, purpose: 'id' },
  { key: 'secretEnv', defaultEnv: 'ACME_SECRET', required: true, purpose: 'secret' },
]
const ctx = (secrets: Record<string, string | undefined>, config: Record<string, unknown> = {}) => ({ secrets, config: { baseUrl: 'http://127.0.0.1', ...config } })

describe('requireSecrets', () => {
  it('returns the values in order when all are set', () => {
    expect(requireSecrets(ctx({ idEnv: 'me', secretEnv: 's3cret' }), 'acme', creds, 'an app')).toEqual(['me', 's3cret'])
  })

  it.each([
    [{}, {}, 'acme: set ACME_ID and ACME_SECRET (an app)'],
    [{ idEnv: 'me' }, {}, 'acme: set ACME_SECRET (an app)'],
    [{ idEnv: 'me', secretEnv: '' }, { secretEnv: 'MY_ACME_SECRET' }, 'acme: set MY_ACME_SECRET (an app)'],
  ] as const)('%j with config %j → %s', (secrets, config, message) => {
    const run = () => requireSecrets(ctx(secrets, config), 'acme', creds, 'an app')
    expect(run).toThrow(UsageError)
    expect(run).toThrow(message)
  })
})
