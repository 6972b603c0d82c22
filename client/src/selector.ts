// The documents the client sends to the server (their unsaved text wins over the disk): every file kind of
// server/src/core/files.ts. Kept free of the vscode module so test/meta/files.test.ts can read it.
import { FILE_GLOBS } from "../../server/src/core/files";

export const DOCUMENT_SELECTOR: { scheme: "file"; pattern: string }[] = FILE_GLOBS.map((g) => ({
  scheme: "file",
  pattern: g.glob,
}));
