import type { Command } from 'commander'
import type { HelpImportOptions, HelpMatchOptions } from '../../commands/help-articles.js'
import { UsageError } from '../../models/errors.js'
import { numberFlag } from '../flags.js'
import { addOutputOptions, type Kit, VERSION } from '../kit.js'

export function parseHelpImportFlags(source: string, f: { maxPages?: string | undefined }): Omit<HelpImportOptions, 'version'> {
  return { source, maxPages: numberFlag(f.maxPages, '--max-pages', 500, (n) => Number.isInteger(n) && n > 0, 'a whole number > 0') }
}

export function parseHelpMatchFlags(text: string, f: { lang?: string | undefined; top?: string | undefined }): HelpMatchOptions {
  if (f.lang !== undefined && !/^[a-z]{2,3}$/.test(f.lang)) throw new UsageError(`--lang: expected a language code such as en or de, got "${f.lang}"`)
  return { text, lang: f.lang, top: numberFlag(f.top, '--top', 3, (n) => Number.isInteger(n) && n > 0 && n <= 50, 'a whole number 1–50') }
}

export function register(program: Command, kit: Kit): void {
  const group = program
    .command('help-articles')
    .description('help-centre articles for customer questions: import, list, match')
    .addHelpText(
      'after',
      `
Every question in listen mentions gets the best article when its confidence clears the threshold.

Example:
  $ listen help-articles import https://help.example.com/sitemap.xml
  $ listen help-articles match "wie kann ich meinen vertrag kündigen?"`,
    )
  addOutputOptions(
    group
      .command('import')
      .argument('<file-or-url>', 'CSV/JSONL (title, body, url; optional id, lang), an RSS/Atom feed, a sitemap (URL) or one article page (URL)')
      .description('read a help centre into the database (articles with the same id are replaced)')
      .option('--max-pages <n>', 'sitemap pages fetched at most (default 500)'),
  )
    .addHelpText('after', '\nExample:\n  $ listen help-articles import fixtures/care/help-articles.jsonl')
    .action(async function (this: Command, source: string) {
      const ctx = await kit.context(this)
      const print = await kit.output(this, ctx.timezone)
      const { runHelpImport } = await import('../../commands/help-articles.js')
      print(await runHelpImport({ ...parseHelpImportFlags(source, this.opts()), version: VERSION }, ctx))
    })
  addOutputOptions(group.command('list').description('the stored articles'))
    .addHelpText('after', '\nExample:\n  $ listen help-articles list --format csv > articles.csv')
    .action(async function (this: Command) {
      const ctx = await kit.context(this)
      const print = await kit.output(this, ctx.timezone)
      const { runHelpList } = await import('../../commands/help-articles.js')
      print(await runHelpList(ctx))
    })
  addOutputOptions(
    group
      .command('match')
      .argument('<text>', 'the question')
      .description('the best articles for a question, with confidence; "shown" = what mentions shows')
      .option('--lang <code>', 'the question\'s language (default: detected)')
      .option('--top <n>', 'candidates listed (default 3)'),
  )
    .addHelpText('after', '\nExample:\n  $ listen help-articles match "how do i return a jacket?" --top 5')
    .action(async function (this: Command, text: string) {
      const ctx = await kit.context(this)
      const print = await kit.output(this, ctx.timezone)
      const { runHelpMatch } = await import('../../commands/help-articles.js')
      print(await runHelpMatch(parseHelpMatchFlags(text, this.opts()), ctx))
    })
}
