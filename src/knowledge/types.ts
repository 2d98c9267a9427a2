/** The shapes of the knowledge base: documents from the manifest and the passages cut from them. */

/** How a source file is laid out, which decides how it is cleaned and where sections start. */
export type DocumentFormat = "tip-report" | "embassy-cable" | "blog-articles" | "plain";

export interface DocumentMeta {
  /** The file stem, e.g. `tip-2021-kazakhstan-protection`; evaluation files use it. */
  id: string;
  /** The text file, relative to the knowledge folder. */
  file: string;
  title: string;
  /** A short name for locators: "TIP 2021", "Cable 07ASTANA614". */
  short: string;
  publisher: string;
  /** Publication date as written in the manifest (YYYY, YYYY-MM or YYYY-MM-DD). */
  date: string;
  year: number;
  /** The period the document reports on, e.g. "calendar year 2020". */
  covers: string;
  format: DocumentFormat;
  /** When the whole text is one section of a larger report (e.g. "Protection"). */
  section?: string;
  url?: string;
  notes?: string;
}

/** A paragraph as the format parser found it, before it is split into passages. */
export interface Block {
  section: string;
  /** The paragraph's label inside its section: "3" for the third, "¶21" for a cable paragraph. */
  label: string;
  /** Author, for documents made of several articles. */
  author?: string;
  text: string;
}

export interface Passage {
  /** Stable id: the document id and a hash of the passage text (same text → same id). */
  id: string;
  docId: string;
  section: string;
  /** Paragraph label, e.g. "3" or "¶21". */
  paragraph: string;
  /** 1-based part number when a long paragraph is split; absent when the passage is the whole paragraph. */
  part?: number;
  author?: string;
  /** Human locator: "TIP 2021 — Protection, para 3", "Cable 07ASTANA614 ¶21". */
  locator: string;
  text: string;
  /** Character offsets of `text` in the document's cleaned text. */
  start: number;
  end: number;
}

export interface KnowledgeDocument extends DocumentMeta {
  /** The cleaned text that passage offsets refer to. */
  text: string;
  passages: Passage[];
}

export interface Corpus {
  documents: KnowledgeDocument[];
  passages: Passage[];
  /** Hash of the manifest, the texts and the ingestion version: the index is rebuilt when it changes. */
  hash: string;
}
