// The floors of src/ (README, Architecture): a folder imports only from floors below it, never
// from a sibling on its own floor, and nothing imports in a circle. test/architecture.test.ts runs it.
const FLOORS = [
  ['models', 'lib'],
  ['time'],
  ['config', 'classify', 'http'],
  ['care', 'sources'],
  ['store', 'report'],
  ['ingest', 'render'],
  ['commands'],
  ['cli'],
]
// render turns models into text: it needs nothing but the shapes and the clock's formatting.
const ONLY = { render: ['models', 'lib', 'time'] }

const floorOf = new Map(FLOORS.flatMap((names, i) => names.map((n) => [n, i])))
const forbidden = [
  { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  {
    name: 'no-unknown-folder',
    severity: 'error',
    comment: 'every folder of src/ has a floor in .dependency-cruiser.cjs',
    from: { path: `^src/(?!(${[...floorOf.keys()].join('|')})/)[^/]+/` },
    to: {},
  },
]
for (const [name, floor] of floorOf) {
  const allowed = ONLY[name] ?? [...floorOf].filter(([, f]) => f < floor).map(([n]) => n)
  forbidden.push({
    name: `${name}-floor`,
    severity: 'error',
    comment: `src/${name} may import only from ${allowed.join(', ') || 'itself'}`,
    from: { path: `^src/${name}/` },
    to: { path: '^src/', pathNot: [`^src/${name}/`, ...allowed.map((a) => `^src/${a}/`)] },
  })
}

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Type-only imports count: a shape imported from a higher floor is a shape in the wrong room.
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },

}
