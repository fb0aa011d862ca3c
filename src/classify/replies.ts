// Distant labels from the brand's own replies (listen train --from-replies): the first reply an
// agent wrote to a customer post says what the post was — "sorry for the trouble" answers a
// complaint, "we're aware of an issue" an outage, "here's how" a question, "glad you enjoyed it"
// praise (the distant supervision of Preoţiuc-Pietro et al., ACL 2019). Pure.
import { UsageError } from '../models/errors.js'
import type { Label } from '../models/mention.js'
import type { ModelLang } from '../models/tagger.js'
import { detectLang, modelLangFor } from './lang.js'
import { scanWords } from './scan.js'

/** The classes a reply can point to: "other" has no typical answer. */
export const REPLY_CLASSES = ['outage', 'complaint', 'question', 'praise'] as const
export type ReplyClass = (typeof REPLY_CLASSES)[number]

/** Phrases per language and class, matched case-insensitively as whole words; `*` stands for any one word. */
export type ReplyPatterns = Record<ModelLang, Record<ReplyClass, readonly string[]>>

/**
 * A distant label weighs this much against a human label (1) in the linear model: a reply says
 * what the agent answered, not what the post was, and a lead has not checked it.
 */
export const DISTANT_WEIGHT = 0.3

export const BUILTIN_REPLY_PATTERNS: ReplyPatterns = {
  en: {
    outage: [
      "we're aware", 'we are aware', 'aware of an issue', 'aware of the issue', 'aware of this issue', 'known issue', 'working on a fix', 'working to fix',
      'working to resolve', 'working to restore', 'engineers are working', 'teams are working', 'service outage', 'an outage', 'service disruption',
      'service interruption', 'experiencing an issue', 'experiencing issues', 'experiencing some issues', 'experiencing technical', 'technical issues', 'should be restored',
      'has been restored', 'back up and running', 'intermittent',
    ],
    complaint: [
      'sorry', 'apologize', 'apologise', 'apologies', 'our apologies', 'frustrating', 'frustration', 'not the experience', 'not what we expect', 'let you down',
      'disappointing', 'disappointed', 'inconvenience', 'unacceptable', 'not acceptable', 'we understand your', 'hear about this', 'concerning to hear',
    ],
    question: [
      'you can', 'here is how', "here's how", 'here are the steps', 'follow these steps', 'follow the steps', "you'll need to", 'you will need to',
      'you need to', 'you may', 'the best way', 'you are able to', "you're able to", 'please visit', 'check out this link', 'this link', 'you should be able',
      'to answer your question', 'great question', 'good question',
    ],
    praise: [
      'glad you', 'glad to hear', 'happy to hear', 'great to hear', 'good to hear', 'love to hear', 'awesome to hear', 'so glad', 'thanks for the love',
      'thanks for the kind words', 'thank you for the kind words', 'kind words', 'thanks for the shout', 'shout out', 'shoutout', 'enjoy', 'enjoyed',
      "you're welcome", 'you are welcome', 'we appreciate the love', 'made our day', 'love this',
    ],
  },
  de: {
    outage: [
      'störung', 'störungen', 'ausfall', 'ist bekannt', 'sind bekannt', 'bekanntes problem', 'techniker', 'technische probleme', 'an der behebung',
      'an einer lösung', 'mit hochdruck', 'wieder verfügbar', 'wieder erreichbar', 'läuft wieder', 'einschränkungen',
    ],
    complaint: [
      'tut uns leid', 'tut mir leid', 'tut uns sehr leid', 'tut mir sehr leid', 'entschuldige', 'entschuldigen', 'entschuldigung', 'bedauern', 'ärgerlich',
      'ärger', 'unannehmlichkeiten', 'verstehe deinen', 'verstehe ihren', 'verstehen deinen', 'verstehen ihren', 'nicht schön',
    ],
    question: [
      'du kannst', 'sie können', 'ihr könnt', 'so geht', 'so funktioniert', 'findest du', 'finden sie', 'unter diesem link', 'über diesen link', 'folgenden link',
      'schau mal', 'schau gern', 'wende dich', 'wenden sie sich', 'gute frage', 'deine frage', 'ihre frage',
    ],
    praise: [
      'freut uns', 'freut mich', 'schön zu hören', 'schön, dass', 'toll, dass', 'danke für das lob', 'danke für dein lob', 'danke für ihr lob', 'lob',
      'viel spaß', 'gern geschehen', 'gerne geschehen', 'genieß', 'genießen',
    ],
  },
}

/** Phrase → regular expression: words as written, `*` any one word, whole words only. */
function phraseRegex(phrase: string): string {
  const words = phrase.trim().toLowerCase().split(/\s+/)
  if (!words[0]) throw new UsageError('reply pattern is empty')
  return words.map((w) => (w === '*' ? "[\\p{L}\\p{N}'’]+" : w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/'/g, "['’]"))).join('\\s+')
}

export interface CompiledReplyPatterns {
  /** One alternation per language and class, in REPLY_CLASSES order. */
  byLang: Record<ModelLang, Array<{ label: ReplyClass; re: RegExp }>>
}

/**
 * The built-in patterns plus `extra` (config replyPatterns), per language and class. A phrase
 * whose regular expression fails names itself.
 */
export function compileReplyPatterns(extra: Partial<Record<ModelLang, Partial<Record<ReplyClass, readonly string[]>>>> = {}): CompiledReplyPatterns {
  const byLang = { en: [], de: [] } as CompiledReplyPatterns['byLang']
  for (const lang of ['en', 'de'] as const) {
    for (const label of REPLY_CLASSES) {
      const phrases = [...BUILTIN_REPLY_PATTERNS[lang][label], ...(extra[lang]?.[label] ?? [])]
      const parts = phrases.map((p) => {
        try {
          return phraseRegex(p)
        } catch (e) {
          throw new UsageError(`replyPatterns.${lang}.${label}: ${JSON.stringify(p)}: ${(e as Error).message}`)
        }
      })
      byLang[lang].push({ label, re: new RegExp(`(?<![\\p{L}\\p{N}])(?:${parts.join('|')})(?![\\p{L}\\p{N}])`, 'iu') })
    }
  }
  return { byLang }
}

export interface DistantLabel {
  label: ReplyClass
  /** The phrase of the reply that decided, as it appears there. */
  matched: string
}

/**
 * The class the reply points to, or null when none or several do. One exception: an outage reply
 * nearly always apologises too ("sorry, we're aware of an issue"), so outage with complaint is outage.
 */
export function distantLabel(reply: string, lang: string | null, patterns: CompiledReplyPatterns): DistantLabel | null {
  const detected = detectLang(scanWords(reply), reply, lang)
  if (detected !== null && detected !== 'en' && detected !== 'de') return null
  const hits: DistantLabel[] = []
  for (const { label, re } of patterns.byLang[modelLangFor(detected)]) {
    const m = re.exec(reply)
    if (m) hits.push({ label, matched: m[0] })
  }
  if (hits.length === 1) return hits[0]!
  if (hits.length === 2 && hits[0]!.label === 'outage' && hits[1]!.label === 'complaint') return hits[0]!
  return null
}

export const isReplyClass = (l: Label): l is ReplyClass => (REPLY_CLASSES as readonly string[]).includes(l)
