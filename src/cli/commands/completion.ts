import type { Command } from 'commander'
import { UsageError } from '../../models/errors.js'
import type { Kit } from '../kit.js'

export function register(program: Command, kit: Kit): void {
  program
    .command('completion')
    .description('print a shell completion script for bash, zsh or fish (generated from the commands and flags)')
    .argument('<shell>', 'bash, zsh or fish')
    .addHelpText(
      'after',
      `
Example:
  $ source <(listen completion bash)                                  # this shell only
  $ listen completion bash > ~/.local/share/bash-completion/completions/listen
  $ listen completion zsh > "\${fpath[1]}/_listen"
  $ listen completion fish > ~/.config/fish/completions/listen.fish`,
    )
    .action(async (shell: string) => {
      const [{ completionSpec, renderCompletion, SHELLS }, { FORMATS }, { LABEL_KEYS }, { MAPPINGS }, { sources }] = await Promise.all([
        import('../completion.js'),
        import('../../render/format.js'),
        import('../../models/mention.js'),
        import('../../models/tagger.js'),
        import('../../sources/registry.js'),
      ])
      if (!(SHELLS as readonly string[]).includes(shell)) throw new UsageError(`completion: "${shell}" is not one of ${SHELLS.join(', ')}`)
      const FILES = new Set(['--config', '--db', '--output', '--html', '--input', '--replay'])
      const hints = (command: string, long: string) => {
        if (command === 'completion' && long === '') return [...SHELLS]
        if (FILES.has(long)) return 'file' as const
        if (long === '--format') return command === 'import' ? ['jsonl', 'csv', 'tsv'] : [...FORMATS]
        if (long === '--label' || long === '--labels') return [...LABEL_KEYS]
        if (long === '--source') return Object.keys(sources)
        if (long === '--tz') return Intl.supportedValuesOf('timeZone')
        if (long === '--input-format') return command === 'classify' ? ['auto', 'jsonl', 'text'] : ['jsonl', 'csv', 'tsv']
        if (long === '--model' || long === '--against') return ['builtin', 'active']
        if (long === '--mapping') return [...MAPPINGS]
        return undefined
      }
      kit.io.stdout.write(renderCompletion(shell as (typeof SHELLS)[number], completionSpec(program, hints)))
    })
}
