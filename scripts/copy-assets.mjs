#!/usr/bin/env node
// tsc copies no data files: put the tagger's built-in corpus next to the compiled tagger.
import { cpSync, existsSync } from 'node:fs'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..')
const from = join(root, 'src/classify/corpus')
if (existsSync(from)) cpSync(from, join(root, 'dist/classify/corpus'), { recursive: true })
