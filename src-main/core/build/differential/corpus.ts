/**
 * The differential corpus: one folder per case under `corpus/`, holding a Dockerfile, its context files
 * and an optional `case.json` with the build's options and the differences known to come from the peer.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface KnownDifference {
  /** The start of a difference line, e.g. `config Cmd` or `~ etc/x: mode`. */
  match: string;
  /** Why it is not our bug (a peer deviation from Docker, with the evidence). */
  reason: string;
}

export interface CorpusCase {
  name: string;
  dir: string;
  dockerfile: string;
  buildArgs: Record<string, string>;
  target?: string;
  /** Name the image gets in both engines' stores, for later cases to build FROM. */
  tag?: string;
  /** An equivalent Dockerfile for buildah 1.28, when it lacks the syntax (heredocs); with the reason. */
  peerDockerfile?: string;
  peerReason?: string;
  known: KnownDifference[];
}

interface CaseFile {
  buildArgs?: Record<string, string>;
  target?: string;
  tag?: string;
  peerDockerfile?: string;
  peerReason?: string;
  known?: KnownDifference[];
}

export const CORPUS_DIR = join(import.meta.dirname, 'corpus');

/** Cases in name order: a base that others build FROM sorts first by its name (`onbuild-1-base`). */
export async function loadCorpus(dir = CORPUS_DIR): Promise<CorpusCase[]> {
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const cases: CorpusCase[] = [];
  for (const name of names) {
    const caseDir = join(dir, name);
    const text = await readFile(join(caseDir, 'case.json'), 'utf8').catch(() => '{}');
    const options = JSON.parse(text) as CaseFile;
    cases.push({
      name,
      dir: caseDir,
      dockerfile: await readFile(join(caseDir, 'Dockerfile'), 'utf8'),
      buildArgs: options.buildArgs ?? {},
      ...(options.target ? { target: options.target } : {}),
      ...(options.tag ? { tag: options.tag } : {}),
      ...(options.peerDockerfile ? { peerDockerfile: options.peerDockerfile } : {}),
      ...(options.peerReason ? { peerReason: options.peerReason } : {}),
      known: options.known ?? [],
    });
  }
  return cases;
}
