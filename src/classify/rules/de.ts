// German lexicon, curated by hand and checked against ../shared/datasets/dev only. Compounds are
// matched by their head ("*störung" finds Stellwerksstörung, Signalstörung, Netzstörung).
// Weights are log units added to the class score: 3 strong, 2 clear, 1 hint.
import type { Label } from '../../models/mention.js'
import type { Rule } from './engine.js'

const r = (label: Label, weight: number, patterns: string[]): Rule[] => patterns.map((pattern) => ({ label, weight, pattern }))

export const DE_RULES: Rule[] = [
  ...r('outage', 3, [
    'störung', 'störungen', '*störung', '*störungen', 'ausfall', 'ausfälle', '*ausfall', '*ausfälle', 'ausgefallen',
    'fällt aus', 'fallen aus', 'faellt aus', 'fällt heute aus', 'geht nicht', 'gehts nicht', 'geht gar nicht',
    'geht nix', 'geht nichts', 'nichts geht mehr', 'geht nicht mehr', 'funktioniert nicht', 'funktioniert gar nicht',
    'funktioniert nichts', 'funktioniert seit', 'funzt nicht', 'klappt nicht', 'kein netz', 'kein internet',
    'kein empfang', 'kein signal', 'kein wlan', 'kein dsl', 'kein tv', 'kein telefon', 'kein strom',
    'keine verbindung', 'keine internetverbindung', 'netz weg', 'internet weg', 'wlan weg', 'down', 'offline',
    'lädt nicht', 'laedt nicht', 'nicht erreichbar', 'stellwerk*', 'oberleitung*', 'streckensperrung', 'gesperrt',
    'polizeieinsatz', 'notarzteinsatz', 'personenunfall', 'stillstand', 'stehen still', 'steht still',
    'fehlermeldung', 'fehler 502', '502', '503', 'serverfehler', 'abgestürzt', 'stürzt ab', 'stürzt ständig ab',
    'funkloch', 'funklöcher', 'totalausfall', 'zugausfall', 'entfällt', 'entfallen', 'unterbrochen', 'unterbrechung',
    'ersatzverkehr', 'schienenersatzverkehr', 'weichenstörung', 'signalstörung',
  ]),
  ...r('outage', 2, ['kaputt', 'defekt', 'fehler', 'nicht einloggen', 'login geht nicht', 'nicht anmelden', 'app geht nicht', 'app stürzt']),
  ...r('complaint', 3, [
    'unverschämt', 'unverschämtheit', 'frechheit', 'sauerei', 'katastrophe', 'katastrophal', 'miserabel',
    'schlechteste', 'schlechtesten', 'ärgerlich', 'genervt', 'nervt', 'enttäuscht', 'enttäuschend', 'zumutung',
    'lachhaft', 'peinlich', 'beschwerde', 'beschweren', 'reklamation', 'erstattung', 'rückerstattung', 'geld zurück',
    'warte seit', 'warten seit', 'nie wieder', 'abzocke', 'unfreundlich',
    'keine antwort', 'keine rückmeldung', 'warteschleife', 'schämt euch', 'schämen', 'danke für nichts', 'schon wieder',
    'wieder mal', 'zu spät', 'verspätung', 'verspätungen', '*verspätung', 'unmöglich',
    'ein witz', 'ein scherz', 'wütend', 'sauer', 'verarscht', 'verarsche', 'mist', 'scheiß*', 'scheiss*', 'kotzt',
    'ätzend', 'dreck', 'überfüllt', 'verloren', 'beschädigt', 'zweimal abgebucht', 'doppelt abgebucht', 'kündigen',
    'kündigung', 'ignoriert', 'stundenlang', 'vertröstet', 'servicewüste', 'nicht zufrieden', 'unzufrieden',
  ]),
  ...r('complaint', 2, [
    'schlechter', 'schlimm', 'kaputt', 'defekt', 'verpasst', 'anschluss verpasst', 'niemand', 'probleme',
    'ärger', 'zu teuer', 'dreckig', 'klimaanlage', 'ewig', 'nervig', 'ugh', 'wie immer', 'jedes mal',
  ]),
  ...r('complaint', 1, ['_emoneg', 'fehlt', 'problem', 'weshalb', 'teuer', 'kalt', 'bezahlt', 'gewartet']),
  ...r('question', 3, [
    'wie kann ich', 'kann ich', 'können sie', 'könnt ihr', 'könnten sie', 'gibt es', 'gibts', 'wann kommt',
    'wann wird', 'wann ist', 'wo kann ich', 'wo finde ich', 'welche', 'welcher', 'welches', 'weiß jemand',
    'weiss jemand', 'hat jemand', 'kurze frage', 'eine frage', 'frage', 'ist es möglich', 'wie lange',
    'muss ich', 'darf ich', 'brauche ich', 'wie funktioniert', 'was kostet', 'wie viel', 'wieviel',
  ]),
  ...r('question', 1, ['_q', 'wann', 'hilfe', 'dm', 'pn']),
  ...r('praise', 3, [ 'dankeschön', 'großes lob', 'hervorragend', 'begeistert', 'gerne wieder', 'weiter so',
    'hilfsbereit', 'sehr zufrieden', 'top service', 'klasse service', 'großartig', 'grossartig', 'danke für die schnelle',
  ]),
  ...r('praise', 2, ['lob', 'perfekt', 'spitze', 'prima', 'wunderbar', 'genial', 'zufrieden', 'freundlich', 'daumen hoch']),
  ...r('praise', 1, ['_emopos', 'angenehm', 'entspannt', 'endlich wieder', 'läuft wieder', 'geht wieder', 'funktioniert wieder']),
  ...r('other', 2, [ 'berichtet', 'meldet', 'plant', 'planen', 'milliarden', 'millionen', 'prozent', 'konzern', 'vorstand',
    'bundesregierung', 'minister', 'pressemitteilung', 'angaben', 'mitteilte', 'teilte mit',
    'sagte', 'erklärte', 'zufolge', 'jahr', 'jahres', 'projekt', 'eröffnet', 'neue', 'neuen',
  ]),
  ...r('other', 1, ['_url', 're', 'rt']),
  // Moved down after checking on dev: on dev posts these fired mostly on other classes (sarcasm,
  // "not happy", agents' "leider", news about works), so they only hint.
  ...r('praise', 1, ['super', 'klasse', 'toll', 'danke']),
  ...r('praise', 2, ['vielen dank']),
  ...r('complaint', 0.5, ['schlecht', 'leider', 'falsch', '_exx', 'warum', 'wieso']),
  ...r('complaint', 1.5, ['immer noch', 'noch immer']),
  ...r('complaint', 2, ['verspätet', 'chaos', 'mal wieder']),
  ...r('complaint', 1, ['jeden tag']),
  ...r('outage', 1.5, ['bauarbeiten']),
  ...r('outage', 2, ['sperrung']),
  ...r('other', 1, ['laut']),
  // Anger and blame a customer voices about the service in words the lists above missed.
  ...r('complaint', 2, ['hasse', 'ärgern', 'ärgere', 'beschämend', 'inakzeptabel', 'unzumutbar', 'unfähig', 'murks', '*versagen', 'fehlleistung*', 'bedient', 'frustriert', 'frustrierend', 'unhöflich']),
  // A train that stopped on the line, seen on dev posts.
  ...r('outage', 3, ['liegengeblieben', 'liegen geblieben', 'stehengeblieben', 'stehen geblieben', 'bleibt stehen', 'blieb stehen', 'halten nicht', 'hält nicht', 'fährt nicht', 'fahren nicht', 'kommt nicht weiter', 'notarzt']),
  // "in der Bahn" is mostly where a post was written, not what it is about (dev: 113 of 162 neutral).
  ...r('other', 1, ['in der bahn', 'in der s-bahn', 'in die bahn']),
  // Reported news (courts, witnesses, reports, interviews) is told about the railway, not addressed to it.
  ...r('other', 2, ['unbekannte', 'zeugen', 'täter', 'gericht', 'bericht', 'interview', 'kommentar', 'heißt es', 'reportage']),
]
