// natural's index pulls dotenv, prints banners and costs ~0.9s, so we import single files by subpath;
// those files ship without declarations (only lib/natural/index.d.ts exists).
declare module 'natural/lib/natural/stemmers/porter_stemmer.js' {
  const stemmer: { stem(word: string): string }
  export default stemmer
}
declare module 'natural/lib/natural/stemmers/porter_stemmer_de.js' {
  const stemmer: { stem(word: string): string }
  export default stemmer
}
