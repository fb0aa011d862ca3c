import { describe, expect, it } from 'vitest'
import type { LabelCandidate } from '../../src/models/label.js'
import { renderLabelCard } from '../../src/render/label-card.js'

const card: LabelCandidate = {
  mention: 'x:42',
  source: 'x',
  id: '42',
  brand: 'Acme Air',
  createdAt: '2026-11-02T09:10:00.000Z',
  author: 'sam',
  text: 'still waiting for my refund, third week now',
  lang: 'en',
  guess: 'complaint',
  scores: { outage: 0.05, complaint: 0.48, question: 0.4, praise: 0.02, other: 0.05 },
  uncertainty: 0.92,
  stored: 'complaint',
  parent: { id: '41', author: 'AcmeCare', createdAt: '2026-11-02T09:00:00.000Z', text: 'we have sent your refund' },
  reply: { id: '43', author: 'AcmeCare', createdAt: '2026-11-02T09:20:00.000Z', text: 'sorry, please DM us' },
}

describe('renderLabelCard', () => {
  it('shows the thread, the text, the guess with scores best first, and the keys', () => {
    const out = renderLabelCard(card, { color: false, labelled: 3, status: 'saved x:41 as praise' })
    expect(out).toBe(
      [
        'x:42  Acme Air · 2026-11-02 09:10 · en  (3 labelled)',
        '  in reply to AcmeCare:',
        '    we have sent your refund',
        '  sam:',
        '  still waiting for my refund, third week now',
        '  brand replied AcmeCare:',
        '    sorry, please DM us',
        '  guess complaint · complaint 48%  question 40%  outage 5%  other 5%  praise 2%',
        '  1 outage  2 complaint  3 question  4 praise  5 other   s skip  u undo  q quit',
        '  saved x:41 as praise',
        '',
      ].join('\n'),
    )
  })

  it('wraps long text to the terminal and colours only when asked', () => {
    const long = { ...card, parent: null, reply: null, text: 'word '.repeat(40).trim() }
    const out = renderLabelCard(long, { color: false, labelled: 0, width: 44 })
    const body = out.split('\n').filter((l) => l.includes('word'))
    expect(body.length).toBeGreaterThan(3)
    for (const l of body) expect(l.length).toBeLessThanOrEqual(40)
    expect(out).not.toContain('\u001b[')
    expect(renderLabelCard(card, { color: true, labelled: 0 })).toContain('\u001b[1m')
  })
})
