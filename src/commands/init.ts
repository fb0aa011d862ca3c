// listen init: write a starter listen.config.json.
import { existsSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { CONFIG_FILE, starterConfig } from '../config/load.js'
import { UsageError } from '../models/errors.js'
import type { InitModel } from '../models/ingest.js'

export interface InitOptions {
  path?: string | undefined
  force?: boolean | undefined
  cwd: string
}

export function runInit(o: InitOptions): InitModel {
  const path = resolve(o.cwd, o.path ?? CONFIG_FILE)
  if (existsSync(path) && !o.force) throw new UsageError(`init: ${path} already exists (use --force to overwrite)`)
  const config = starterConfig()
  writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`)
  return { kind: 'init', path, config }
}
