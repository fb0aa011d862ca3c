import { describe, expect, it } from 'vitest'

import { clearLang, detectLang, detectLangFull, detectLangQuick, modelLangFor } from '../../src/classify/lang.js'
import { scanWords } from '../../src/classify/scan.js'

const detect = (text: string, hint?: string | null) => detectLang(scanWords(text), text, hint)

// All posts written for this test.
const OTHER_LANGUAGES: Array<[string, string]> = [
  ['fr', "Bonjour, mon colis n'est toujours pas arrivé et personne ne répond au téléphone depuis trois jours."],
  ['fr', 'Merci beaucoup pour votre aide rapide hier soir'],
  ['es', 'Hola, llevo dos semanas esperando el reembolso y nadie me contesta, qué vergüenza de servicio.'],
  ['es', 'La aplicación no funciona desde esta mañana, ¿alguien sabe por qué?'],
  ['tr', 'Merhaba, siparişim hâlâ gelmedi ve müşteri hizmetleri telefonu açmıyor, çok kötü bir deneyim.'],
  ['nl', 'Hallo, mijn pakket is nog steeds niet bezorgd en niemand neemt de telefoon op bij jullie klantenservice.'],
  ['pl', 'Dzień dobry, moja paczka nadal nie dotarła, a infolinia nie odbiera telefonu od trzech dni.'],
  ['it', 'Buongiorno, il mio pacco non è ancora arrivato e nessuno risponde al telefono da tre giorni.'],
]

describe('detectLang', () => {
  it.each([
    ['@Nordbahn my train was cancelled again and nobody tells us anything', 'en'],
    ['thanks, all fixed now', 'en'],
    ['Zug fällt schon wieder aus, keine Durchsage am Bahnhof', 'de'],
    ['Störung in Köln Süd', 'de'],
    ['danke for the quick help with my account', 'en'],
    ['Warum ist die Hotline nicht erreichbar? Seit einer Stunde in der Warteschleife', 'de'],
    ['ok', null],
    ['Top 👍', null],
  ])('%j → %j', (text, lang) => expect(detect(text)).toBe(lang))

  it.each(OTHER_LANGUAGES)('a %s post is another language, not forced into en/de', (lang, text) => {
    expect(detect(text)).toBe(lang)
  })

  it.each(OTHER_LANGUAGES)('the cheap vote leaves a %s post to the full detector', (_lang, text) => {
    expect(detectLangQuick(scanWords(text))).toBeUndefined()
  })

  it.each([
    ['de-AT', 'why is my parcel late', 'de'],
    ['en', 'Zug fällt aus', 'en'],
    ['und', 'Zug fällt schon wieder aus, keine Durchsage', 'de'],
  ])('the platform field %j wins over the text %j', (hint, text, lang) => expect(detect(text, hint)).toBe(lang))
})

describe('detectLangQuick', () => {
  it.each([
    ['where is my refund, I have waited two weeks', 'en'],
    ['Ich warte seit zwei Wochen auf meine Erstattung', 'de'],
    ['Grüße aus München', 'de'],
    ['@AcmeAir 👍', null],
    // "the" and "und" in one post: unsure, franc decides.
    ['the Zug und the Bahn', undefined],
  ])('%j → %j', (text, lang) => expect(detectLangQuick(scanWords(text))).toBe(lang))
})

describe('detectLangFull', () => {
  it.each([
    ['@AcmeAirHelp the flight was delayed by four hours and nobody at the gate could tell us why', 'en'],
    ['Der Zug nach Hamburg ist heute schon wieder ausgefallen und niemand sagt etwas', 'de'],
    ['short text', null],
  ])('%j → %j', (text, lang) => expect(detectLangFull(text)).toBe(lang))

  it('leaves handles and links out of the trigrams', () => {
    // Only the handle and the link are long: what remains is too short to tell.
    expect(detectLangFull('@VerylongbrandnameSupport https://t.co/abcdefghijkl ok')).toBeNull()
  })
})

describe('modelLangFor', () => {
  it.each([
    ['de', 'de'],
    ['en', 'en'],
    ['fr', 'en'],
    [null, 'en'],
  ])('%j → %j', (lang, model) => expect(modelLangFor(lang)).toBe(model))
})

describe('clearLang: evidence strong enough to drop a post for its language', () => {
  it.each([
    ['My flight was cancelled and the app is not loading again', 'en'],
    ['Der Zug ist schon wieder ausgefallen und keiner sagt etwas', 'de'],
    // Reddit's "u/name" is no English word; the umlaut of "gelöst" is German evidence.
    ['Danke u/NordwindSupport, Problem in 5 Minuten gelöst. Super Service! 👍', null],
    ['Great coffee.', null],
    ['Acme Air lounge in Dublin is lovely. Great coffee.', 'en'],
  ])('%j → %j', (text, lang) => expect(clearLang(scanWords(text))).toBe(lang))
})
