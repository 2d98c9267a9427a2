/**
 * Optional multilingual neural embeddings (EMBEDDINGS=transformers), e.g. multilingual-e5-small
 * through @huggingface/transformers. Not installed by default (it adds ~400 MB and needs the
 * model files); when it cannot load, start-up fails with a message saying what to do.
 */
import type { Embeddings } from "@langchain/core/embeddings";

export async function loadNeuralEmbeddings(model: string): Promise<Embeddings> {
  try {
    const mod = await import("@langchain/community/embeddings/huggingface_transformers");
    const embeddings = new mod.HuggingFaceTransformersEmbeddings({ model });
    await embeddings.embedQuery("test"); // fail now, not on the first question
    return embeddings;
  } catch (err) {
    throw new Error(
      `EMBEDDINGS=transformers could not load the model "${model}" (EMBEDDINGS_MODEL): ${(err as Error).message}\n` +
        "Install it with `ONNXRUNTIME_NODE_INSTALL_CUDA=skip npm install @huggingface/transformers@^3.8` and make the model " +
        "files available locally, or unset EMBEDDINGS to use the built-in offline embedder.",
    );
  }
}
