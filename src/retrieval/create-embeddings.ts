/** Chooses the embedder from configuration: the offline hashing embedder unless EMBEDDINGS=transformers. */
import { HashingEmbeddings, type TextEmbeddings } from "./embeddings.ts";
import { loadNeuralEmbeddings } from "./neural-embeddings.ts";

export async function createEmbeddings(config: {
  EMBEDDINGS: "hashing" | "transformers";
  EMBEDDINGS_MODEL: string;
}): Promise<{ embeddings: TextEmbeddings; name: string }> {
  if (config.EMBEDDINGS === "transformers") {
    return { embeddings: await loadNeuralEmbeddings(config.EMBEDDINGS_MODEL), name: `transformers:${config.EMBEDDINGS_MODEL}` };
  }
  const embeddings = new HashingEmbeddings();
  return { embeddings, name: embeddings.name };
}
