// The one registry: a new platform is one file in src/sources/ plus one import and one line here.
import { bluesky } from './bluesky.js'
import { facebook } from './facebook.js'
import { github } from './github.js'
import { hackernews } from './hackernews.js'
import { mastodon } from './mastodon.js'
import { reddit } from './reddit.js'
import { rss } from './rss.js'
import { stackexchange } from './stackexchange.js'
import type { SourceAdapter } from './types.js'
import { x } from './x.js'
import { youtube } from './youtube.js'

export const sources = {
  hackernews,
  reddit,
  mastodon,
  bluesky,
  x,
  youtube,
  stackexchange,
  github,
  rss,
  facebook,
} satisfies Record<string, SourceAdapter>

export type SourceName = keyof typeof sources
