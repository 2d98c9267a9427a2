const t0 = performance.now();
const { loadConfig } = await import("/work/main/src/config.ts");
const t1 = performance.now();
await import("@langchain/community/vectorstores/hnswlib");
const t2 = performance.now();
await import("@langchain/community/retrievers/bm25");
const t3 = performance.now();
const { createAssistant } = await import("/work/main/src/app.ts");
const t4 = performance.now();
const a: any = await createAssistant(loadConfig());
const t5 = performance.now();
console.log({ config: t1 - t0, hnsw: t2 - t1, bm25: t3 - t2, app: t4 - t3, create: t5 - t4, uptime: performance.now() });
const { prepareQuery } = await import("/work/main/src/retrieval/query.ts");
const q = "How many calls did the trafficking hotline receive in 2020?";
let lex = 0, dense = 0, prep = 0, full = 0;
for (let i = 0; i < 200; i++) {
  let s = performance.now();
  const pq = prepareQuery(q, "en", a.glossary, a.retriever.vocabulary);
  prep += performance.now() - s; s = performance.now();
  await a.retriever.lexical.search(pq.terms, 30);
  lex += performance.now() - s; s = performance.now();
  await a.retriever.vectors.search(a.retriever.embeddings.embed(pq.text), 30);
  dense += performance.now() - s; s = performance.now();
  await a.ask(q);
  full += performance.now() - s;
}
console.log({ prep: prep / 200, lex: lex / 200, dense: dense / 200, full: full / 200 });
