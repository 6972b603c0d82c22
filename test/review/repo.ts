// Git repositories built inside the tests: real `git init`, real commits with fixed authors and dates (so
// commit ids, and the goldens that name them, are the same on every machine). No user or system git config
// is read, so a developer's settings (signing, hooks paths) cannot change what the tests see.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export const GIT_ENV: Record<string, string> = {
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_AUTHOR_NAME: "Test",
  GIT_AUTHOR_EMAIL: "test@example.com",
  GIT_COMMITTER_NAME: "Test",
  GIT_COMMITTER_EMAIL: "test@example.com",
  GIT_AUTHOR_DATE: "2026-11-01T12:00:00Z",
  GIT_COMMITTER_DATE: "2026-11-01T12:00:00Z",
};

export class Repo {
  constructor(readonly dir: string) {}

  static create(prefix = "wtl-review-"): Repo {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    const r = new Repo(dir);
    r.git("init", "-q", "-b", "main");
    return r;
  }

  git(...args: string[]): string {
    return execFileSync("git", args, { cwd: this.dir, env: { ...process.env, ...GIT_ENV }, encoding: "utf8" });
  }

  /** Writes files (relative paths); null deletes one. */
  write(files: Record<string, string | null>): void {
    for (const [rel, text] of Object.entries(files)) {
      const p = join(this.dir, rel);
      if (text === null) rmSync(p, { force: true });
      else {
        mkdirSync(dirname(p), { recursive: true });
        writeFileSync(p, text);
      }
    }
  }

  /** `git mv` (a rename git and the review both see). */
  move(from: string, to: string): void {
    mkdirSync(dirname(join(this.dir, to)), { recursive: true });
    this.git("mv", from, to);
  }

  commit(message: string): string {
    this.git("add", "-A");
    this.git("commit", "-q", "--no-verify", "-m", message);
    return this.git("rev-parse", "HEAD").trim();
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
