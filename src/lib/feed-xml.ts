// One way to read RSS 2.0 and Atom XML (fast-xml-parser), for feeds of mentions and of help articles.
import { XMLParser } from 'fast-xml-parser'

/**
 * Attributes as "@_name", values as strings. Text nodes keep their raw markup only where Atom allows
 * inline XHTML (type="xhtml": content, summary); elsewhere the parser decodes escaped HTML and the
 * caller strips it. `arrays`: the paths that are always lists, however many elements a feed has.
 */
export function createFeedParser(arrays: readonly string[]): XMLParser {
  const lists = new Set(arrays)
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    stopNodes: ['feed.entry.content', 'feed.entry.summary'],
    isArray: (_name, jpath) => lists.has(String(jpath)),
  })
}
